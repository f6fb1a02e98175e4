import { ErrorCodes, TrackerUnavailableError, ValidationError } from '../../../domain/errors';
import type { ArtifactInfo } from '../../../domain/model/artifact';
import type { Experiment } from '../../../domain/model/experiment';
import { Limits, assertValidKey } from '../../../domain/model/naming-rules';
import { type Metric, type MetricOptions, type Page, type Run, type RunConfig, type RunInfo, type RunStatus, type SearchRunsQuery } from '../../../domain/model/run';
import type { ILogger } from '../../../domain/ports/logger';
import type { ITracker, ParamValue } from '../../../domain/ports/tracker';
import { LogBatcher, type LogBatcherOptions } from './log-batcher';
import type { MlflowSettings } from './mlflow-settings';
import { MlflowRestClient, type RestClientOptions } from './rest-client';
import { RunArtifacts } from './run-artifacts';
import { TrackingApi } from './tracking-api';
import { checkRunId, ValidKeyCache } from './tracker-checks';
import { OpenRuns, assertTerminalStatus } from '../shared/run-lifecycle';
import { ValueRules, currentUser, initialRunTags, makeMetric } from '../shared/run-values';

/** MLflow 2.x servers cut run tag values at 5000 characters (3.x: 8000, Limits.MAX_TAG_VALUE_LENGTH). */
export const TAG_LIMIT_MLFLOW_2 = 5000;

export interface MlflowTrackerDeps {
  logger?: ILogger;
  /** Options of the REST client the tracker creates (retry observer, jitter source). */
  rest?: Omit<RestClientOptions, 'baseUri' | 'logger'>;
  /** Passed to the LogBatcher. */
  batcher?: Pick<LogBatcherOptions, 'flushIntervalMs' | 'maxQueuedEntries' | 'onUndeliverable' | 'overflowJournalDir'>;
  /** Milliseconds since epoch; tests pin it. */
  clock?: () => number;
  /**
   * Whether `stop()` marks runs this tracker opened and nobody ended as KILLED (default true). `sync`
   * turns it off: a run still RUNNING in the store it replays must stay RUNNING on the server.
   */
  killOpenRunsOnStop?: boolean;
}

/**
 * ITracker over MLflow's REST API. `start()` checks the server and resolves the default experiment
 * (created if missing, safe against a concurrent creator). Metrics, params and tags are validated at the
 * call and queued in a LogBatcher that sends `runs/log-batch`; reads flush first, so a caller sees what it
 * logged. `stop()` flushes, then marks runs this tracker opened and never ended as KILLED.
 *
 * @example
 * const tracker = new MlflowTracker(resolveMlflowSettings(config.tracking, process.env), { logger });
 * await tracker.start();
 * const run = await tracker.createRun({ runName: 'baseline', tags: { team: 'risk' } });
 * await tracker.logMetric(run.runId, 'rmse', 0.42, { step: 1 });
 * await tracker.endRun(run.runId);
 * await tracker.stop();
 */
export class MlflowTracker implements ITracker {
  readonly serviceName = 'tracker:mlflow';
  readonly client: MlflowRestClient;
  private readonly api: TrackingApi;
  private batcher: LogBatcher;
  private readonly batcherOptions: LogBatcherOptions;
  private readonly clock: () => number;
  private readonly logger?: ILogger;
  private experimentId: string | undefined;
  private experimentLookup: Promise<string> | undefined;
  private started = false;
  private stopped = false;
  private readonly openRuns = new OpenRuns();
  private readonly checks = new ValidKeyCache();
  private readonly rules: ValueRules;
  private tagLimitKnown = false;
  private readonly checkKey = (kind: 'metric', key: string): void => this.checks.key(kind, key);
  private readonly killOpenRunsOnStop: boolean;
  private readonly artifacts: RunArtifacts;

  constructor(private readonly settings: MlflowSettings, deps: MlflowTrackerDeps = {}) {
    this.logger = deps.logger;
    this.rules = new ValueRules(deps.logger);
    this.clock = deps.clock ?? Date.now;
    this.killOpenRunsOnStop = deps.killOpenRunsOnStop ?? true;
    this.client = new MlflowRestClient(settings, { ...deps.rest, logger: deps.logger });
    this.api = new TrackingApi(this.client);
    this.batcherOptions = { ...deps.batcher, logger: deps.logger, send: (runId, batch) => this.api.logBatch(runId, batch) };
    this.batcher = new LogBatcher(this.batcherOptions);
    this.artifacts = new RunArtifacts(settings, this.client, async (runId) => (await this.api.getRun(runId)).info.artifactUri);
  }

  get defaultExperimentId(): string | undefined {
    return this.experimentId;
  }

  async start(): Promise<void> {
    if (this.started) return;
    if (this.stopped) {
      // restartable: an app's runtime may stop and start its services; a closed batcher takes nothing more
      this.batcher = new LogBatcher(this.batcherOptions);
      this.stopped = false;
    }
    // the first lookup is the first contact: a dead or foreign server is decided in seconds
    await this.defaultExperiment(true);
    await this.learnTagLimit();
    this.started = true;
    this.logger?.info(`Tracking to MLflow at ${this.settings.trackingUri}, experiment "${this.settings.experimentName}" (id ${this.experimentId})`);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.started = false;
    let firstError: unknown;
    try {
      await this.batcher.close();
    } catch (error) {
      firstError = error;
    }
    // with the server gone, a KILLED update cannot be delivered (and the breaker refuses it at once)
    if (this.killOpenRunsOnStop && !(firstError instanceof TrackerUnavailableError)) {
      const unavailable = (error: unknown): boolean => error instanceof TrackerUnavailableError;
      firstError ??= await this.openRuns.killAll(async (runId) => (await this.api.updateRun(runId, 'KILLED', this.clock()), true), this.logger, unavailable);
    }
    this.client.close();
    if (firstError !== undefined) throw firstError;
  }

  getExperiment(experimentId: string): Promise<Experiment> {
    return this.api.getExperiment(experimentId);
  }

  getExperimentByName(name: string): Promise<Experiment | undefined> {
    return this.api.getExperimentByName(name);
  }

  async getOrCreateExperiment(name: string, tags?: Record<string, string>): Promise<string> {
    if (typeof name !== 'string' || name.trim() === '' || name.length > Limits.MAX_EXPERIMENT_NAME_LENGTH) {
      throw new ValidationError(`Invalid experiment name ${JSON.stringify(name)}: use 1 to ${Limits.MAX_EXPERIMENT_NAME_LENGTH} characters.`, ErrorCodes.VALIDATION, { details: { name } });
    }
    for (const key of Object.keys(tags ?? {})) assertValidKey('tag', key);
    return this.api.getOrCreateExperiment(name, tags);
  }

  async createRun(config: RunConfig = {}): Promise<RunInfo> {
    if (config.parentRunId !== undefined) checkRunId(config.parentRunId);
    const experimentId =
      config.experimentId ?? (config.experimentName ? await this.getOrCreateExperiment(config.experimentName) : await this.defaultExperiment());
    await this.learnTagLimit();
    const { tags, runName } = initialRunTags(config, this.rules, currentUser());
    const info = await this.api.createRun({ experimentId, runName, startTime: config.startTime ?? this.clock(), tags: Object.fromEntries(tags) });
    this.openRuns.add(info.runId);
    this.artifacts.remember(info.runId, info.artifactUri);
    return info;
  }

  async endRun(runId: string, status: RunStatus = 'FINISHED', endTime?: number): Promise<void> {
    checkRunId(runId);
    assertTerminalStatus(runId, status);
    let flushError: unknown;
    try {
      await this.batcher.flush(runId);
    } catch (error) {
      flushError = error;
    }
    // end the run even when its last values could not be delivered; the flush error is still reported
    try {
      if (!(flushError instanceof TrackerUnavailableError)) await this.api.updateRun(runId, status, endTime ?? this.clock());
    } finally {
      // the caller decided how this run ends: stop() must never overwrite that with KILLED later
      this.openRuns.ended(runId);
    }
    if (flushError !== undefined) throw flushError;
  }

  async getRun(runId: string): Promise<Run> {
    await this.batcher.flush(checkRunId(runId));
    return this.api.getRun(runId);
  }

  async searchRuns(query: SearchRunsQuery): Promise<Page<Run>> {
    await this.batcher.flush();
    return this.api.searchRuns(query);
  }

  /**
   * The hot path: not `async`, so a call costs no promise of its own and a caller that does not await
   * holds no suspended frame; a bad key or value comes back as a rejected promise.
   */
  logMetric(runId: string, key: string, value: number, options?: MetricOptions): Promise<void> {
    try {
      return this.batcher.enqueueMetric(this.checks.runId(runId), this.metric(key, value, options));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async logMetrics(runId: string, metrics: Record<string, number>, options: MetricOptions = {}): Promise<void> {
    checkRunId(runId);
    const checked = Object.entries(metrics).map(([key, value]) => this.metric(key, value, options));
    for (const metric of checked) await this.batcher.enqueueMetric(runId, metric);
  }

  async logParam(runId: string, key: string, value: ParamValue): Promise<void> {
    await this.logParams(runId, { [key]: value });
  }

  async logParams(runId: string, params: Record<string, ParamValue>): Promise<void> {
    checkRunId(runId);
    const checked = Object.entries(params).map(([key, value]) => [key, this.rules.param(key, value)] as const);
    for (const [key, value] of checked) await this.batcher.enqueueParam(runId, key, value);
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.setTags(runId, { [key]: value });
  }

  async setTags(runId: string, tags: Record<string, string>): Promise<void> {
    checkRunId(runId);
    await this.learnTagLimit();
    const checked = Object.entries(tags).map(([key, value]) => [key, this.rules.tag(key, value)] as const);
    for (const [key, value] of checked) await this.batcher.enqueueTag(runId, key, value);
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    assertValidKey('metric', key);
    await this.batcher.flush(checkRunId(runId));
    return this.api.getMetricHistory(runId, key);
  }

  async logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void> {
    await (await this.artifacts.store(checkRunId(runId))).upload(localPath, artifactPath);
  }

  async listArtifacts(runId: string, path?: string): Promise<ArtifactInfo[]> {
    return (await this.artifacts.store(checkRunId(runId))).list(path);
  }

  async downloadArtifact(runId: string, path: string, destDir: string): Promise<string> {
    return (await this.artifacts.store(checkRunId(runId))).download(path, destDir);
  }

  flush(runId?: string): Promise<void> {
    return this.batcher.flush(runId);
  }

  /** Resolved once; concurrent callers (start() and an early createRun) share the lookup, a failure is retried next time. */
  private defaultExperiment(probe = false): Promise<string> {
    this.experimentLookup ??= this.api.getOrCreateExperiment(this.settings.experimentName, undefined, probe).then(
      (id) => (this.experimentId = id),
      (error: unknown) => {
        this.experimentLookup = undefined;
        throw error;
      },
    );
    return this.experimentLookup;
  }

  private metric(key: string, value: number, options: MetricOptions | undefined): Metric {
    return makeMetric(key, value, options, this.clock(), this.checkKey);
  }

  /** Tags are cut where the connected server cuts them: 5000 characters on MLflow 2.x, 8000 on 3.x (asked once per server). */
  private async learnTagLimit(): Promise<void> {
    if (this.tagLimitKnown) return;
    const generation = await this.client.serverGeneration();
    if (generation === undefined) return;
    this.rules.tagLimit = generation === 2 ? TAG_LIMIT_MLFLOW_2 : Limits.MAX_TAG_VALUE_LENGTH;
    this.tagLimitKnown = true;
  }
}
