import { randomUUID } from 'node:crypto';
import { ErrorCodes, NotFoundError } from '../../../domain/errors';
import type { Dataset, DatasetInput, LoggedModel, LoggedModelStatus, ModelOutput } from '../../../domain/model/logged-model';
import type { RunInputs, RunOutputs } from '../../../domain/model/run';
import type { LoggedModelStore, NewLoggedModel } from '../client/logged-model-store';

/**
 * Where the memory store's runs and experiments are, so logged models and inputs are checked against
 * them like the other stores check theirs. Without one, every run and experiment is taken to exist and
 * all runs share one dataset namespace.
 *
 * @example const lookup: MemoryRunLookup = { experimentOf: (runId) => runs.get(runId)?.experimentId, hasExperiment: (id) => experiments.has(id) };
 */
export interface MemoryRunLookup {
  /** The experiment holding the run; undefined when there is no such run. */
  experimentOf(runId: string): string | undefined;
  hasExperiment(experimentId: string): boolean;
}

/**
 * Options of {@link MemoryLoggedModelStore}.
 *
 * @example new MemoryLoggedModelStore({ clock: () => 1_700_000_000_000, lookup })
 */
export interface MemoryLoggedModelStoreOptions {
  clock?: () => number;
  lookup?: MemoryRunLookup;
}

const ANY_RUN: MemoryRunLookup = { experimentOf: () => '', hasExperiment: () => true };

/**
 * Logged models, datasets and run inputs/outputs in memory, with the local store's semantics: ids
 * `m-<32 hex>`, artifactUri `memory:/<experiment>/models/<id>/artifacts`, a dataset kept once per
 * experiment by name and digest (the first one logged wins), a run's input or output recorded once
 * (the first tags or step win), MODEL_NOT_FOUND for an unknown id, RUN_NOT_FOUND for an unknown run.
 *
 * @example
 * const models = new MemoryLoggedModelStore();
 * const pending = await models.create({ experimentId: '0', name: 'model', params: {}, tags: {} });
 * await models.finalize(pending.modelId!, 'READY');
 */
export class MemoryLoggedModelStore implements LoggedModelStore {
  private readonly clock: () => number;
  private readonly lookup: MemoryRunLookup;
  private readonly models = new Map<string, LoggedModel>();
  /** experiment id → `name\0digest` → the dataset as first logged. */
  private readonly datasets = new Map<string, Map<string, Dataset>>();
  /** run id → `name\0digest` → the input's tags as first logged. */
  private readonly inputs = new Map<string, Map<string, Record<string, string>>>();
  /** run id → model id → step as first logged. */
  private readonly outputs = new Map<string, Map<string, number>>();

  constructor(options: MemoryLoggedModelStoreOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.lookup = options.lookup ?? ANY_RUN;
  }

  async supported(): Promise<boolean> {
    return true;
  }

  async create(model: NewLoggedModel): Promise<LoggedModel> {
    if (!this.lookup.hasExperiment(model.experimentId)) {
      throw new NotFoundError(`Experiment ${model.experimentId} does not exist in memory.`, ErrorCodes.EXPERIMENT_NOT_FOUND, { details: { experimentId: model.experimentId } });
    }
    const modelId = `m-${randomUUID().replace(/-/g, '')}`;
    const now = this.clock();
    const created: LoggedModel = {
      modelId, name: model.name, experimentId: model.experimentId,
      ...(model.sourceRunId !== undefined ? { sourceRunId: model.sourceRunId } : {}),
      ...(model.modelType !== undefined ? { modelType: model.modelType } : {}),
      artifactUri: `memory:/${model.experimentId}/models/${modelId}/artifacts`, modelUri: `models:/${modelId}`,
      status: 'PENDING', creationTimestamp: now, lastUpdatedTimestamp: now, params: { ...model.params }, tags: { ...model.tags },
    };
    this.models.set(modelId, created);
    return copy(created);
  }

  async finalize(modelId: string, status: Exclude<LoggedModelStatus, 'PENDING'>): Promise<LoggedModel> {
    const model = this.require(modelId);
    const updated = { ...model, status, lastUpdatedTimestamp: this.clock() };
    this.models.set(modelId, updated);
    return copy(updated);
  }

  async get(modelId: string): Promise<LoggedModel> {
    return copy(this.require(modelId));
  }

  /** Every logged model of an experiment, oldest first. */
  async listModels(experimentId: string): Promise<LoggedModel[]> {
    return [...this.models.values()]
      .filter((model) => model.experimentId === experimentId)
      .sort((a, b) => a.creationTimestamp - b.creationTimestamp || (a.modelId! < b.modelId! ? -1 : 1))
      .map(copy);
  }

  async logOutputs(runId: string, outputs: ModelOutput[]): Promise<void> {
    this.experimentOf(runId);
    const recorded = getOrSet(this.outputs, runId, () => new Map<string, number>());
    for (const output of outputs) if (!recorded.has(output.modelId)) recorded.set(output.modelId, output.step);
  }

  async logInputs(runId: string, inputs: DatasetInput[]): Promise<void> {
    const datasets = getOrSet(this.datasets, this.experimentOf(runId), () => new Map<string, Dataset>());
    const recorded = getOrSet(this.inputs, runId, () => new Map<string, Record<string, string>>());
    for (const input of inputs) {
      const key = `${input.dataset.name}\0${input.dataset.digest}`;
      if (!datasets.has(key)) datasets.set(key, { ...input.dataset });
      if (!recorded.has(key)) recorded.set(key, { ...input.tags });
    }
  }

  /** A run's dataset inputs, by dataset name then digest. */
  async runInputs(runId: string): Promise<RunInputs> {
    const datasets = this.datasets.get(this.experimentOf(runId));
    const datasetInputs = [...(this.inputs.get(runId) ?? new Map<string, Record<string, string>>())]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, tags]) => ({ dataset: { ...datasets!.get(key)! }, tags: { ...tags } }));
    return { datasetInputs };
  }

  /** A run's model outputs, by step then model id. */
  async runOutputs(runId: string): Promise<RunOutputs> {
    this.experimentOf(runId);
    const modelOutputs = [...(this.outputs.get(runId) ?? new Map<string, number>())]
      .map(([modelId, step]) => ({ modelId, step }))
      .sort((a, b) => a.step - b.step || (a.modelId < b.modelId ? -1 : 1));
    return { modelOutputs };
  }

  private require(modelId: string): LoggedModel {
    const model = this.models.get(modelId);
    if (!model) {
      throw new NotFoundError(`Logged model ${JSON.stringify(modelId)} does not exist in memory. Check the id (models:/m-<id>).`, ErrorCodes.MODEL_NOT_FOUND, { details: { modelId } });
    }
    return model;
  }

  private experimentOf(runId: string): string {
    const experimentId = this.lookup.experimentOf(runId);
    if (experimentId === undefined) throw new NotFoundError(`Run ${runId} does not exist in memory.`, ErrorCodes.RUN_NOT_FOUND, { details: { runId } });
    return experimentId;
  }
}

function copy(model: LoggedModel): LoggedModel {
  return { ...model, params: { ...model.params }, tags: { ...model.tags } };
}

function getOrSet<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}
