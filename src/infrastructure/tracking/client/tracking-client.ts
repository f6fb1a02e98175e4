import type { ServiceHealth } from '../../../domain/ports/service-health';
import { healthOf, serviceReport } from './store-health';
import type { ServiceStartOptions } from '../../../domain/ports/service';
import { TrackerUnavailableError } from '../../../domain/errors';
import type { ArtifactInfo } from '../../../domain/model/artifact';
import type { Experiment } from '../../../domain/model/experiment';
import type { DatasetInput, LogModelRequest, LoggedModel } from '../../../domain/model/logged-model';
import { assertValidExperimentName, assertValidKey } from '../../../domain/model/naming-rules';
import type { Metric, MetricOptions, Page, Run, RunConfig, RunInfo, RunStatus, SearchRunsQuery } from '../../../domain/model/run';
import type { DownloadModelOptions, ITracker, ParamValue } from '../../../domain/ports/tracker';
import { ValidKeyCache, ValueRules, checkRunId, currentUser, initialRunTags, makeMetric } from './client-rules';
import { DefaultExperiment } from './default-experiment';
import { ModelOperations } from './model-operations';
import { RunSampling } from './run-sampling';
import { OpenRuns, assertTerminalStatus, killIfRunning } from './open-runs';
import { RunArtifacts } from './run-artifacts';
import type { TrackingClientOptions } from './tracking-client-options';
import type { TrackingStore } from './tracking-store';

export type { TrackingClientOptions };

const unavailable = (error: unknown): boolean => error instanceof TrackerUnavailableError;

/**
 * The one ITracker: every rule lives here, the store only persists (MLflow REST, local files, memory,
 * no-op, with batching and spill as store layers). Keys, values and run ids are checked at the call;
 * params and tags are cut to the store's limits (one warning per kind); the default experiment is
 * resolved at start (shared by concurrent callers, retried after a failure); reads flush first, so a caller
 * sees what it logged; `endRun` takes terminal statuses only; `stop()` flushes, marks runs this client
 * opened and nobody ended that are still RUNNING as KILLED (one warning each; a server that is down ends
 * the attempt), then closes the store; `start()` after `stop()` opens it again.
 *
 * @example
 * const tracker = new TrackingClient(new MemoryTrackingStore(), { experimentName: 'churn' });
 * await tracker.start();
 * const run = await tracker.createRun({ runName: 'baseline' });
 * await tracker.logMetric(run.runId, 'rmse', 0.42);
 * await tracker.stop(); // the run was never ended: KILLED
 */
export class TrackingClient implements ITracker {
  readonly serviceName: string;
  protected started = false;
  private readonly rules: ValueRules;
  private readonly checks = new ValidKeyCache();
  private readonly checkKey = (_kind: 'metric', key: string): void => this.checks.metricKey(key);
  private readonly openRuns = new OpenRuns();
  private readonly runArtifacts: RunArtifacts;
  private readonly clock: () => number;
  private readonly experimentName: string;
  private readonly experiment: DefaultExperiment;
  private opening: Promise<void> | undefined;
  private sourceTags: Record<string, string> = {};
  private readonly sampling: RunSampling;
  private readonly modelOps: ModelOperations;

  constructor(private readonly store: TrackingStore, private readonly options: TrackingClientOptions = {}) {
    this.serviceName = options.serviceName ?? 'tracker';
    this.rules = new ValueRules(options.logger);
    this.clock = options.clock ?? Date.now;
    this.experimentName = options.experimentName ?? 'Default';
    this.runArtifacts = new RunArtifacts(store);
    this.experiment = new DefaultExperiment(() => this.getOrCreateExperiment(this.experimentName));
    this.modelOps = new ModelOperations({
      store,
      clock: this.clock,
      param: (key, value) => this.rules.param(key, value),
      tag: (key, value) => this.rules.tag(key, value),
      open: () => this.open(),
      getRun: (runId) => this.getRun(runId),
    });
    this.sampling = new RunSampling((runId, metrics, step) => this.logMetrics(runId, metrics, { step }), options.systemMetrics, options.logger);
  }

  get defaultExperimentId(): string | undefined {
    return this.experiment.id;
  }

  /** `required` (named at boot): the store opens without fallback, so a dead server fails here rather than spill. */
  async start(options: ServiceStartOptions = {}): Promise<void> {
    if (this.started) return;
    await this.open(options);
    const experimentId = await this.experiment.resolve();
    this.started = true;
    this.options.logger?.info(`Tracking to ${this.store.description}, experiment "${this.experimentName}" (id ${experimentId})`);
  }

  /**
   * The backend's report (reachable, MLflow generation, spilling and what waits to be synced), a cheap
   * probe that never rejects; `started` is this client's own state.
   */
  async health(): Promise<ServiceHealth> {
    return serviceReport(await healthOf(this.store), this.started);
  }

  async stop(): Promise<void> {
    if (this.opening === undefined) return;
    this.started = false;
    let firstError: unknown;
    await this.sampling.stopAll();
    await this.store.flush().catch((error: unknown) => (firstError = error));
    // with the server gone, a KILLED update cannot be delivered (and the breaker refuses it at once)
    if (this.options.killOpenRunsOnStop !== false && !unavailable(firstError)) {
      firstError ??= await this.openRuns.killAll((runId) => killIfRunning(this.store, runId, this.clock()), this.options.logger, unavailable);
    }
    this.openRuns.clear();
    await this.store.close().catch((error: unknown) => (firstError ??= error));
    this.opening = undefined;
    this.experiment.forget();
    this.runArtifacts.clear();
    if (firstError !== undefined) throw firstError;
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    await this.open();
    return this.store.getExperiment(experimentId);
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    await this.open();
    return this.store.getExperimentByName(name);
  }

  async getOrCreateExperiment(name: string, tags?: Record<string, string>): Promise<string> {
    assertValidExperimentName(name);
    const checked = tags && Object.fromEntries(Object.entries(tags).map(([key, value]) => [key, this.rules.tag(key, value)]));
    await this.open();
    return this.store.getOrCreateExperiment(name, checked);
  }

  async createRun(config: RunConfig = {}): Promise<RunInfo> {
    await this.open();
    const experimentId =
      config.experimentId ?? (config.experimentName !== undefined ? await this.getOrCreateExperiment(config.experimentName) : await this.experiment.resolve());
    this.sampling.check(config.systemMetrics);
    const userId = this.options.userId ?? currentUser();
    const { tags, runName } = initialRunTags({ ...config, tags: { ...this.sourceTags, ...config.tags } }, this.rules, userId);
    const info = await this.store.createRun({ experimentId, runName, startTime: config.startTime ?? this.clock(), userId, tags: Object.fromEntries(tags) });
    if (this.options.killOpenRunsOnStop !== false) this.openRuns.add(info.runId);
    this.runArtifacts.remember(info.runId, info.artifactUri);
    this.sampling.start(info.runId, config.systemMetrics);
    return info;
  }

  async endRun(runId: string, status: RunStatus = 'FINISHED', endTime?: number): Promise<void> {
    checkRunId(runId);
    assertTerminalStatus(runId, status);
    let flushError: unknown;
    await this.sampling.stop(runId);
    await this.store.flush(runId).catch((error: unknown) => (flushError = error));
    // end the run even when its last values could not be delivered; the flush error is still reported
    try {
      if (!unavailable(flushError)) await this.store.updateRun(runId, { status, endTime: endTime ?? this.clock() });
    } finally {
      // the caller decided how this run ends: stop() must never overwrite that with KILLED later
      this.openRuns.ended(runId);
    }
    if (flushError !== undefined) throw flushError;
  }

  async getRun(runId: string): Promise<Run> {
    await this.store.flush(checkRunId(runId));
    return this.store.getRun(runId);
  }

  async searchRuns(query: SearchRunsQuery): Promise<Page<Run>> {
    await this.open();
    await this.store.flush();
    return this.store.searchRuns(query);
  }

  /**
   * The hot path: not `async`, so a call costs no promise of its own and a caller that does not await
   * holds no suspended frame; a bad key or value comes back as a rejected promise.
   */
  logMetric(runId: string, key: string, value: number, options?: MetricOptions): Promise<void> {
    try {
      return this.store.logMetric(this.checks.runId(runId), makeMetric(key, value, options, this.clock(), this.checkKey));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async logMetrics(runId: string, metrics: Record<string, number>, options?: MetricOptions): Promise<void> {
    checkRunId(runId);
    const now = this.clock();
    const checked = Object.entries(metrics).map(([key, value]) => makeMetric(key, value, options, now, this.checkKey));
    await this.store.logBatch(runId, { metrics: checked, params: [], tags: [] });
  }

  async logParam(runId: string, key: string, value: ParamValue): Promise<void> {
    await this.logParams(runId, { [key]: value });
  }

  async logParams(runId: string, params: Record<string, ParamValue>): Promise<void> {
    checkRunId(runId);
    const checked = Object.entries(params).map(([key, value]) => ({ key, value: this.rules.param(key, value) }));
    await this.store.logBatch(runId, { metrics: [], params: checked, tags: [] });
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.setTags(runId, { [key]: value });
  }

  async setTags(runId: string, tags: Record<string, string>): Promise<void> {
    checkRunId(runId);
    await this.open(); // the tag limit is the store's, known once it is open
    const checked = Object.entries(tags).map(([key, value]) => ({ key, value: this.rules.tag(key, value) }));
    await this.store.logBatch(runId, { metrics: [], params: [], tags: checked });
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    assertValidKey('metric', key);
    await this.store.flush(checkRunId(runId));
    return this.store.getMetricHistory(runId, key);
  }

  async logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void> {
    await (await this.runArtifacts.of(checkRunId(runId))).upload(localPath, artifactPath);
  }

  async listArtifacts(runId: string, path?: string): Promise<ArtifactInfo[]> {
    return (await this.runArtifacts.of(checkRunId(runId))).list(path);
  }

  async downloadArtifact(runId: string, path: string, destDir: string): Promise<string> {
    return (await this.runArtifacts.of(checkRunId(runId))).download(path, destDir);
  }

  logModel(runId: string, request: LogModelRequest): Promise<LoggedModel> {
    return this.modelOps.logModel(runId, request);
  }

  getLoggedModel(modelId: string): Promise<LoggedModel> {
    return this.modelOps.getLoggedModel(modelId);
  }

  downloadModel(modelUri: string, destDir: string, options?: DownloadModelOptions): Promise<string> {
    return this.modelOps.downloadModel(modelUri, destDir, options);
  }

  logInputs(runId: string, inputs: DatasetInput[]): Promise<void> {
    return this.modelOps.logInputs(runId, inputs);
  }

  flush(runId?: string): Promise<void> {
    return this.store.flush(runId);
  }

  /** The source tags runs start with; a source that fails costs its tags (one warning), never the tracker. */
  private async startTags(): Promise<Record<string, string>> {
    try {
      return (await this.options.sourceTags?.()) ?? {};
    } catch (error) {
      this.options.logger?.warn(`Runs start without source tags: ${error instanceof Error ? error.message : String(error)}`);
      return {};
    }
  }

  /** Opens the store once (also for a call before `start()`); a failed open is tried again next time. */
  protected open(options: ServiceStartOptions = {}): Promise<void> {
    this.opening ??= this.store.open(options).then(
      async (traits) => {
        this.rules.tagLimit = traits.tagValueLimit;
        this.sourceTags = await this.startTags();
      },
      (error: unknown) => {
        this.opening = undefined;
        throw error;
      },
    );
    return this.opening;
  }
}
