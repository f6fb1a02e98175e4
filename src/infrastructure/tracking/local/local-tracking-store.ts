import { localStoreHealth, type StoreHealth } from '../client/store-health';
import { ErrorCodes, NotFoundError } from '../../../domain/errors';
import { LocalLoggedModelStore } from './local-logged-model-store';
import type { Experiment } from '../../../domain/model/experiment';
import { Limits } from '../../../domain/model/naming-rules';
import { MlflowTags, type Metric, type Page, type Run, type RunInfo, type RunStatus, type SearchRunsQuery } from '../../../domain/model/run';
import type { NewRun, StoreTraits, TrackingStore } from '../client/tracking-store';
import type { ArtifactStore } from '../shared/artifact-store';
import { FileArtifactStore } from '../shared/file-artifact-store';
import type { LogBatch } from '../shared/log-batch';
import { searchRunsIn } from '../shared/run-search';
import { newRunId } from '../shared/run-values';
import { LocalExperiments } from './local-experiments';
import { DEFAULT_ROOT, StoreLayout } from './local-layout';
import { LocalRuns } from './local-runs';

/**
 * A TrackingStore over MLflow's file store: the directory `mlflow server --backend-store-uri ./mlruns`
 * (MLflow 2.x) or `mlflow ui` reads. Params, tags and run metadata go to disk before the call resolves
 * (metadata replaced atomically); metric lines are appended with O_APPEND in the background, at most a
 * bounded number in flight (BufferedWrites), and `flush()` waits for them and throws the first that
 * failed. So many runs in one process and several processes can share a store. Artifacts are copied
 * under each run's `artifacts/` by FileArtifactStore. searchRuns supports the AND-only filter subset of
 * ../shared/run-search.ts.
 *
 * @example const tracker = new TrackingClient(new LocalTrackingStore('./mlruns'));
 */
export class LocalTrackingStore implements TrackingStore {
  readonly layout: StoreLayout;
  readonly description: string;
  private readonly experiments: LocalExperiments;
  private readonly runFiles: LocalRuns;
  /** Logged models, datasets, run inputs and outputs, in MLflow 3's FileStore layout. */
  readonly loggedModels: LocalLoggedModelStore;

  constructor(root: string = DEFAULT_ROOT, clock: () => number = Date.now) {
    this.layout = new StoreLayout(root);
    this.description = `local store ${this.layout.root}`;
    this.experiments = new LocalExperiments(this.layout, clock);
    this.runFiles = new LocalRuns(this.layout);
    this.loggedModels = new LocalLoggedModelStore(this.layout, { clock });
  }

  /** Creates the store (root, .trash, experiment 0) when missing. */
  async open(): Promise<StoreTraits> {
    await this.experiments.ensureStore();
    return { tagValueLimit: Limits.MAX_TAG_VALUE_LENGTH };
  }

  /** Waits for pending appends; lost values fail the caller even if a flush already reported them. */
  /** Ok when the store's directory (or where it will be created) is writable. */
  health(): Promise<StoreHealth> {
    return localStoreHealth(this.layout.root, this.description);
  }

  async close(): Promise<void> {
    await this.runFiles.settleWrites();
    const failure = this.runFiles.bufferedWrites.firstFailure;
    if (failure !== undefined) throw failure;
  }

  getExperiment(experimentId: string): Promise<Experiment> {
    return this.experiments.get(experimentId);
  }

  getExperimentByName(name: string): Promise<Experiment | undefined> {
    return this.experiments.byName(name);
  }

  getOrCreateExperiment(name: string, tags?: Record<string, string>): Promise<string> {
    return this.experiments.getOrCreate(name, tags);
  }

  async createRun(run: NewRun): Promise<RunInfo> {
    if (!(await this.experiments.exists(run.experimentId))) {
      throw new NotFoundError(
        `Cannot create a run in experiment ${JSON.stringify(run.experimentId)}: it does not exist in the local store ${this.layout.root}.`,
        ErrorCodes.EXPERIMENT_NOT_FOUND,
        { details: { experimentId: run.experimentId } },
      );
    }
    const runId = newRunId();
    const experiment = await this.experiments.get(run.experimentId);
    const info: RunInfo = {
      runId, experimentId: run.experimentId, runName: run.runName, status: 'RUNNING', startTime: run.startTime,
      artifactUri: `${experiment.artifactLocation.replace(/\/+$/, '')}/${runId}/artifacts`, lifecycleStage: 'active', userId: run.userId,
    };
    await this.runFiles.create(info, new Map(Object.entries(run.tags)));
    return info;
  }

  updateRun(runId: string, patch: { status?: RunStatus; endTime?: number; runName?: string }): Promise<void> {
    return this.runFiles.update(runId, patch);
  }

  async getRun(runId: string): Promise<Run> {
    await this.runFiles.settleWrites(); // a read sees every value logged before it
    const run = await this.runFiles.read(runId);
    const [inputs, outputs] = await Promise.all([this.loggedModels.runInputs(runId), this.loggedModels.runOutputs(runId)]);
    return { ...run, inputs, outputs };
  }

  async searchRuns(query: SearchRunsQuery): Promise<Page<Run>> {
    await this.runFiles.settleWrites();
    const runs: Run[] = [];
    for (const experimentId of new Set(query.experimentIds)) {
      if (await this.experiments.exists(experimentId)) runs.push(...(await this.runFiles.inExperiment(experimentId)));
    }
    return searchRunsIn(runs, query);
  }

  /** Not `async`: on the fast path the value is handed to the disk without a promise of its own (see BufferedWrites). */
  logMetric(runId: string, metric: Metric): Promise<void> {
    return this.runFiles.appendMetric(runId, metric);
  }

  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    if (batch.params.length > 0) await this.runFiles.writeParams(runId, batch.params.map((p) => [p.key, p.value] as const));
    if (batch.tags.length > 0) {
      await this.runFiles.writeTags(runId, batch.tags.map((t) => [t.key, t.value] as const));
      // MLflow keeps meta.yaml's run_name in step with the mlflow.runName tag
      const runName = [...batch.tags].reverse().find((t) => t.key === MlflowTags.RUN_NAME)?.value;
      if (runName !== undefined) await this.runFiles.update(runId, { runName });
    }
    if (batch.metrics.length > 0) await this.runFiles.appendMetrics(runId, batch.metrics);
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    await this.runFiles.settleWrites();
    return this.runFiles.history(runId, key);
  }

  /** Waits for metric appends still in flight and throws the first one that failed. */
  async flush(): Promise<void> {
    await this.runFiles.settleWrites();
    this.runFiles.bufferedWrites.throwFailure();
  }

  artifactStore(artifactUri: string): ArtifactStore {
    return new FileArtifactStore(artifactUri);
  }
}
