import { ErrorCodes, NotFoundError } from '../../../domain/errors';
import type { Experiment } from '../../../domain/model/experiment';

/**
 * The memory store's experiments (names and tags already checked by the client): "0" is "Default", new ids count up as in MLflow's SQL store.
 *
 * @example const id = new ExperimentBook(Date.now).getOrCreate('churn'); // '1'
 */
export class ExperimentBook {
  private readonly experiments = new Map<string, Experiment>();
  private nextId = 1;

  constructor(private readonly clock: () => number) {
    this.add('0', 'Default', {});
  }

  get(experimentId: string): Experiment {
    const experiment = this.experiments.get(experimentId);
    if (!experiment) {
      throw new NotFoundError(`Experiment with id ${JSON.stringify(experimentId)} not found.`, ErrorCodes.EXPERIMENT_NOT_FOUND, {
        details: { experimentId },
      });
    }
    return copy(experiment);
  }

  byName(name: string): Experiment | undefined {
    const found = [...this.experiments.values()].find((e) => e.name === name);
    return found && copy(found);
  }

  getOrCreate(name: string, tags: Record<string, string> = {}): string {
    const existing = this.byName(name);
    if (existing) return existing.experimentId;
    const id = String(this.nextId++);
    this.add(id, name, tags);
    return id;
  }

  all(): Experiment[] {
    return [...this.experiments.values()].map(copy);
  }

  private add(id: string, name: string, tags: Record<string, string>): void {
    const now = this.clock();
    this.experiments.set(id, {
      experimentId: id, name, artifactLocation: `memory:/${id}`, lifecycleStage: 'active', tags: { ...tags },
      creationTime: now, lastUpdateTime: now,
    });
  }
}

function copy(experiment: Experiment): Experiment {
  return { ...experiment, tags: { ...experiment.tags } };
}
