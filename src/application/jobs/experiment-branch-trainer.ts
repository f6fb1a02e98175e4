import type { ITracker } from '../../domain/ports/tracker';
import type { Config } from '../experiments/config-variants';
import type { Dataset } from '../training/dataset';
import { type DataOrigin, trainingDataset } from '../training/dataset-input';
import { datasetInput } from '../training/dataset-identity';
import { hyperparamsFrom, trainModel } from '../training/train';
import { branchRows } from './experiment-branch-config';
import { loadTrainingData } from './training-data';

/** What one experiment branch produces: test and train rmse/r2. */
export type BranchOutput = { rmse: number; r2: number; train_rmse: number; train_r2: number };

/**
 * The body of one ExperimentJob branch: load (or reuse) its data, record it as the run's dataset input,
 * train, log the metrics to the branch's run. Shared by the in-process runner and queue workers, so a branch trains the same wherever it runs.
 *
 * @example const output = await new ExperimentBranchTrainer(tracker).train({ l2: 0.1 }, runId, signal);
 */
export class ExperimentBranchTrainer {
  private readonly datasets = new Map<string, Promise<Dataset>>();

  /** `jobSignal` stops the shared data loads (the job's signal, not a branch's: one branch's timeout must not fail the others). */
  constructor(
    private readonly tracker: ITracker,
    private readonly jobSignal?: AbortSignal,
  ) {}

  async train(config: Config, runId: string, signal: AbortSignal): Promise<BranchOutput> {
    const hyperparams = hyperparamsFrom(config);
    const { data, origin } = await this.dataset(config, hyperparams.seed);
    await this.tracker.logInputs(runId, [datasetInput(trainingDataset(data, origin), 'training')]);
    // the branch's own signal: aborted by an interrupt or the branch's timeout, checked every few ms of training
    const outcome = await trainModel(data, hyperparams, { signal });
    await this.tracker.logMetrics(runId, { ...outcome.metrics, loss: outcome.lossHistory.at(-1)! });
    return outcome.metrics;
  }

  /** Branches that share a data source share one load (one file read, one generated table). */
  private async dataset(config: Config, seed: number): Promise<{ data: Dataset; origin: DataOrigin }> {
    const spec = {
      seed,
      rows: branchRows(config),
      ...(typeof config.dataPath === 'string' && { dataPath: config.dataPath }),
    };
    const key = spec.dataPath !== undefined ? `file:${spec.dataPath}` : `synthetic:${spec.seed}:${spec.rows}`;
    let loading = this.datasets.get(key);
    if (!loading) {
      loading = loadTrainingData(spec, 'dataPath of a branch', this.jobSignal);
      // a failed load is not cached, so a retry reads again
      loading.catch(() => this.datasets.delete(key));
      this.datasets.set(key, loading);
    }
    return { data: await loading, origin: spec };
  }
}
