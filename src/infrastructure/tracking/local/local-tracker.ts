import { ErrorCodes, NotFoundError } from '../../../domain/errors';
import type { ArtifactInfo } from '../../../domain/model/artifact';
import type { Experiment } from '../../../domain/model/experiment';
import { MlflowTags } from '../../../domain/model/run';
import type { Metric, MetricOptions, Page, Run, RunConfig, RunInfo, RunStatus, SearchRunsQuery } from '../../../domain/model/run';
import type { ILogger } from '../../../domain/ports/logger';
import type { ITracker, ParamValue } from '../../../domain/ports/tracker';
import { FileArtifactStore } from '../shared/file-artifact-store';
import { searchRunsIn } from '../shared/run-search';
import { OpenRuns, assertTerminalStatus } from '../shared/run-lifecycle';
import { ValueRules, currentUser, makeMetric, newRunId, initialRunTags } from '../shared/run-values';
import { LocalExperiments } from './local-experiments';
import { DEFAULT_ROOT, StoreLayout } from './local-layout';
import { LocalRuns } from './local-runs';

export interface LocalTrackerOptions {
  /** Store directory, or a `file:` URI. Default `./mlruns`. */
  root?: string;
  /** Experiment runs go to when a RunConfig names none; created by `start()`. Default "Default" (id "0"). */
  experimentName?: string;
  /** Receives a warning the first time a param or tag is truncated, and one per run killed by `stop()`. */
  logger?: ILogger;
  /** Milliseconds since epoch; pin it in tests. */
  clock?: () => number;
  /** Recorded as `user_id` and the `mlflow.user` tag; defaults to the OS user. */
  userId?: string;
}

/**
 * ITracker over MLflow's file store: the directory `mlflow server --backend-store-uri ./mlruns` (MLflow 2.x)
 * or `mlflow ui` reads. Params, tags and run metadata go to disk before the call resolves (metadata replaced
 * atomically); metric lines are appended with O_APPEND in the background, at most a bounded number in
 * flight (BufferedWrites), and `flush()`/`endRun()`/`stop()` wait for them. So many runs in one process
 * and several processes can share a store. Artifacts are copied under each run's `artifacts/` by FileArtifactStore.
 *
 * searchRuns supports the AND-only filter subset documented in ../shared/run-search.ts and throws
 * ValidationError for anything else.
 *
 * @example
 * const tracker = new LocalTracker({ root: './mlruns', experimentName: 'churn' });
 * await tracker.start();
 * const run = await tracker.createRun({ runName: 'baseline' });
 * await tracker.logMetric(run.runId, 'rmse', 0.42);   // appends "1700000000000 0.42 0" to …/metrics/rmse
 * await tracker.endRun(run.runId);
 * await tracker.stop();
 */
export class LocalTracker implements ITracker {
  readonly serviceName = 'tracker:local';
  readonly layout: StoreLayout;
  private readonly experiments: LocalExperiments;
  private readonly runFiles: LocalRuns;
  private readonly rules: ValueRules;
  private readonly clock: () => number;
  private readonly openRuns = new OpenRuns();
  private defaultId: string | undefined;
  private started = false;
  private ready: Promise<void> | undefined;

  constructor(private readonly options: LocalTrackerOptions = {}) {
    this.layout = new StoreLayout(options.root ?? DEFAULT_ROOT);
    this.clock = options.clock ?? (() => Date.now());
    this.rules = new ValueRules(options.logger);
    this.experiments = new LocalExperiments(this.layout, this.clock, this.rules);
    this.runFiles = new LocalRuns(this.layout);
  }

  get defaultExperimentId(): string | undefined {
    return this.defaultId;
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.storeReady();
    this.defaultId ??= await this.experiments.getOrCreate(this.options.experimentName ?? 'Default');
    this.started = true;
  }

  /** Waits for pending appends, then marks runs this tracker opened and left RUNNING as KILLED. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    let firstError: unknown;
    await this.settle().catch((error: unknown) => (firstError = error));
    firstError ??= this.runFiles.bufferedWrites.firstFailure; // lost values fail the job even if a flush already reported them
    const killError = await this.openRuns.killAll(async (runId) => {
      if ((await this.runFiles.info(runId)).status !== 'RUNNING') return false;
      await this.runFiles.update(runId, { status: 'KILLED', endTime: this.clock() });
      return true;
    }, this.options.logger);
    firstError ??= killError;
    if (firstError !== undefined) throw firstError;
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    await this.storeReady();
    return this.experiments.get(experimentId);
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    await this.storeReady();
    return this.experiments.byName(name);
  }

  async getOrCreateExperiment(name: string, tags?: Record<string, string>): Promise<string> {
    await this.storeReady();
    return this.experiments.getOrCreate(name, tags);
  }

  async createRun(config: RunConfig = {}): Promise<RunInfo> {
    await this.storeReady();
    const userId = this.options.userId ?? currentUser();
    const { tags, runName } = initialRunTags(config, this.rules, userId);
    const experimentId = await this.resolveExperiment(config);
    const runId = newRunId();
    const experiment = await this.experiments.get(experimentId);
    const info: RunInfo = {
      runId, experimentId, runName, status: 'RUNNING', startTime: config.startTime ?? this.clock(),
      artifactUri: `${experiment.artifactLocation.replace(/\/+$/, '')}/${runId}/artifacts`, lifecycleStage: 'active', userId,
    };
    await this.runFiles.create(info, tags);
    this.openRuns.add(runId);
    return info;
  }

  async endRun(runId: string, status: RunStatus = 'FINISHED', endTime?: number): Promise<void> {
    assertTerminalStatus(runId, status);
    // the run ends as the caller said even when a buffered write failed; that failure is still thrown
    const writeError = await this.settle().then(() => undefined, (error: unknown) => error);
    await this.runFiles.update(runId, { status, endTime: endTime ?? this.clock() });
    this.openRuns.ended(runId);
    if (writeError !== undefined) throw writeError;
  }

  async getRun(runId: string): Promise<Run> {
    await this.runFiles.settleWrites(); // a read sees every value logged before it
    return this.runFiles.read(runId);
  }

  async searchRuns(query: SearchRunsQuery): Promise<Page<Run>> {
    await this.storeReady();
    const runs: Run[] = [];
    for (const experimentId of new Set(query.experimentIds)) {
      if (await this.experiments.exists(experimentId)) runs.push(...(await this.runFiles.inExperiment(experimentId)));
    }
    return searchRunsIn(runs, query);
  }

  /** Not `async`: on the fast path the value is handed to the disk without a promise of its own (see BufferedWrites). */
  logMetric(runId: string, key: string, value: number, options?: MetricOptions): Promise<void> {
    try {
      const metric = makeMetric(key, value, options, this.clock());
      return this.runFiles.appendMetric(runId, metric);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async logMetrics(runId: string, metrics: Record<string, number>, options?: MetricOptions): Promise<void> {
    const now = this.clock();
    const made = Object.entries(metrics).map(([key, value]) => makeMetric(key, value, options, now));
    await this.runFiles.appendMetrics(runId, made);
  }

  async logParam(runId: string, key: string, value: ParamValue): Promise<void> {
    await this.logParams(runId, { [key]: value });
  }

  async logParams(runId: string, params: Record<string, ParamValue>): Promise<void> {
    const values = Object.entries(params).map(([key, value]) => [key, this.rules.param(key, value)] as const);
    await this.runFiles.writeParams(runId, values);
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.setTags(runId, { [key]: value });
  }

  async setTags(runId: string, tags: Record<string, string>): Promise<void> {
    const values = Object.entries(tags).map(([key, value]) => [key, this.rules.tag(key, value)] as const);
    await this.runFiles.writeTags(runId, values);
    // MLflow keeps meta.yaml's run_name in step with the mlflow.runName tag
    const runName = values.find(([key]) => key === MlflowTags.RUN_NAME)?.[1];
    if (runName !== undefined) await this.runFiles.update(runId, { runName });
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    await this.runFiles.settleWrites();
    return this.runFiles.history(runId, key);
  }

  async logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void> {
    await (await this.artifacts(runId)).upload(localPath, artifactPath);
  }

  async listArtifacts(runId: string, path?: string): Promise<ArtifactInfo[]> {
    return (await this.artifacts(runId)).list(path);
  }

  async downloadArtifact(runId: string, path: string, destDir: string): Promise<string> {
    return (await this.artifacts(runId)).download(path, destDir);
  }

  /** Writes go straight to disk; this waits for metric appends still in flight. */
  async flush(): Promise<void> {
    await this.settle();
  }

  /** Waits for buffered metric writes and throws the first one that failed. */
  private async settle(): Promise<void> {
    await this.runFiles.settleWrites();
    this.runFiles.bufferedWrites.throwFailure();
  }

  private async artifacts(runId: string): Promise<FileArtifactStore> {
    return new FileArtifactStore((await this.runFiles.info(runId)).artifactUri);
  }

  private async resolveExperiment(config: RunConfig): Promise<string> {
    if (config.experimentId !== undefined) {
      if (!(await this.experiments.exists(config.experimentId))) {
        throw new NotFoundError(
          `Cannot create a run in experiment ${JSON.stringify(config.experimentId)}: it does not exist in the local store ${this.layout.root}.`,
          ErrorCodes.EXPERIMENT_NOT_FOUND,
          { details: { experimentId: config.experimentId } },
        );
      }
      return config.experimentId;
    }
    if (config.experimentName !== undefined) return this.experiments.getOrCreate(config.experimentName);
    this.defaultId ??= await this.experiments.getOrCreate(this.options.experimentName ?? 'Default');
    return this.defaultId;
  }

  /** Creates the store (root, .trash, experiment 0) once, on first use. */
  private storeReady(): Promise<void> {
    this.ready ??= this.experiments.ensureStore().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }
}
