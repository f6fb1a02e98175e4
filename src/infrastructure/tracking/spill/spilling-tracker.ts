import { TrackerUnavailableError } from '../../../domain/errors';
import type { ArtifactInfo } from '../../../domain/model/artifact';
import type { Experiment } from '../../../domain/model/experiment';
import type { Metric, MetricOptions, Page, Run, RunConfig, RunInfo, RunStatus, SearchRunsQuery } from '../../../domain/model/run';
import type { ILogger } from '../../../domain/ports/logger';
import type { ITracker, ParamValue } from '../../../domain/ports/tracker';
import type { LogBatch } from '../mlflow';
import { SPILL_REMOTE_RUN_TAG, type SpillLedger } from './spill-ledger';

export interface SpillingTrackerOptions {
  /** The server-backed tracker. Build it with `batcher.onUndeliverable: (r, b, e) => spilling.spillBatch(r, b, e)`. */
  primary: ITracker;
  /** A tracker over the spill directory (a LocalTracker); created lazily, started on first use. */
  createSpillStore: () => ITracker;
  ledger: SpillLedger;
  /** Experiment name used for spill-store runs that mirror server runs. */
  experimentName: string;
  logger?: ILogger;
}

/**
 * `tracking.onUnavailable: spill`: an ITracker that sends everything to the MLflow server and, when the
 * server is unavailable after retries, writes to a local store in MLflow's layout instead — runs it could
 * not create, batches it could not deliver, artifacts it could not upload — so the job carries on and
 * nothing is lost. `stop()` prints one warning with the totals and the `mlops-kit sync` command.
 *
 * Runs created while the server was down live only in the spill store. Values of a server run that could
 * not be delivered go to a mirror run in the spill store tagged `mlops-kit.spill.remote_run_id`, which
 * `sync` appends to the original run.
 *
 * @example
 * let spilling: SpillingTracker;
 * const primary = new MlflowTracker(settings, { batcher: { onUndeliverable: (r, b, e) => spilling.spillBatch(r, b, e) } });
 * spilling = new SpillingTracker({ primary, createSpillStore: () => new LocalTracker({ root: settings.spillDir }), ledger, experimentName });
 */
export class SpillingTracker implements ITracker {
  readonly serviceName: string;
  private spill: ITracker | undefined;
  private spillStarting: Promise<ITracker> | undefined;
  /** The server could not be reached at start: every run goes to the spill store. */
  private degraded = false;
  private readonly localRuns = new Set<string>();
  private readonly mirrors = new Map<string, Promise<string>>();
  private readonly runNames = new Map<string, string>();

  constructor(private readonly options: SpillingTrackerOptions) {
    this.serviceName = options.primary.serviceName;
  }

  get defaultExperimentId(): string | undefined {
    return this.degraded ? this.spill?.defaultExperimentId : this.options.primary.defaultExperimentId;
  }

  async start(): Promise<void> {
    try {
      await this.options.primary.start();
    } catch (error) {
      if (!(error instanceof TrackerUnavailableError)) throw error;
      this.degraded = true;
      this.options.ledger.note(error);
      this.options.logger?.warn(`${error.message} This job tracks to the spill store ${this.options.ledger.spillDir} instead.`);
      await this.spillStore();
    }
  }

  async stop(): Promise<void> {
    let firstError: unknown;
    try {
      await this.options.primary.stop();
    } catch (error) {
      // undelivered values were spilled; a server that is down cannot be told which runs were KILLED either
      if (!(error instanceof TrackerUnavailableError)) firstError = error;
    }
    await Promise.all(this.mirrors.values()).catch(() => undefined);
    if (this.spill) await this.spill.stop().catch((error: unknown) => (firstError ??= error));
    // the one warning of this outage; counting starts afresh should the service be started again
    if (!this.options.ledger.isEmpty) this.options.logger?.warn(this.options.ledger.summary());
    this.options.ledger.reset();
    this.spill = undefined;
    this.spillStarting = undefined;
    this.degraded = false;
    this.mirrors.clear();
    this.localRuns.clear();
    this.runNames.clear();
    if (firstError !== undefined) throw firstError;
  }

  getExperiment(experimentId: string): Promise<Experiment> {
    return this.degraded ? this.spillCall((s) => s.getExperiment(experimentId)) : this.options.primary.getExperiment(experimentId);
  }

  getExperimentByName(name: string): Promise<Experiment | undefined> {
    return this.degraded ? this.spillCall((s) => s.getExperimentByName(name)) : this.options.primary.getExperimentByName(name);
  }

  getOrCreateExperiment(name: string, tags?: Record<string, string>): Promise<string> {
    return this.degraded ? this.spillCall((s) => s.getOrCreateExperiment(name, tags)) : this.options.primary.getOrCreateExperiment(name, tags);
  }

  async createRun(config: RunConfig = {}): Promise<RunInfo> {
    if (!this.degraded) {
      try {
        const run = await this.options.primary.createRun(config);
        this.runNames.set(run.runId, run.runName);
        return run;
      } catch (error) {
        if (!(error instanceof TrackerUnavailableError)) throw error;
        this.options.ledger.note(error);
      }
    }
    // a parent that lives on the server is still named, so sync can re-attach the nested run
    const { experimentId: _serverId, ...rest } = config;
    const run = await this.spillCall((s) => s.createRun({ ...rest, experimentName: config.experimentName ?? this.options.experimentName }));
    this.localRuns.add(run.runId);
    this.options.ledger.runs.add(run.runId);
    return run;
  }

  async endRun(runId: string, status?: RunStatus, endTime?: number): Promise<void> {
    if (this.localRuns.has(runId)) return this.spillCall((s) => s.endRun(runId, status, endTime));
    try {
      await this.options.primary.endRun(runId, status, endTime);
    } catch (error) {
      if (!(error instanceof TrackerUnavailableError)) throw error;
      this.options.ledger.note(error);
      const mirror = await this.mirrorOf(runId);
      await this.spillCall((s) => s.endRun(mirror, status, endTime));
      return;
    }
    const mirror = this.mirrors.get(runId);
    if (mirror) await this.spillCall(async (s) => s.endRun(await mirror, status, endTime));
  }

  getRun(runId: string): Promise<Run> {
    return this.route(runId).getRun(runId);
  }

  searchRuns(query: SearchRunsQuery): Promise<Page<Run>> {
    return this.degraded ? this.spillCall((s) => s.searchRuns(query)) : this.options.primary.searchRuns(query);
  }

  logMetric(runId: string, key: string, value: number, options?: MetricOptions): Promise<void> {
    if (this.localRuns.has(runId)) this.options.ledger.metrics++;
    return this.route(runId).logMetric(runId, key, value, options);
  }

  logMetrics(runId: string, metrics: Record<string, number>, options?: MetricOptions): Promise<void> {
    if (this.localRuns.has(runId)) this.options.ledger.metrics += Object.keys(metrics).length;
    return this.route(runId).logMetrics(runId, metrics, options);
  }

  logParam(runId: string, key: string, value: ParamValue): Promise<void> {
    if (this.localRuns.has(runId)) this.options.ledger.params++;
    return this.route(runId).logParam(runId, key, value);
  }

  logParams(runId: string, params: Record<string, ParamValue>): Promise<void> {
    if (this.localRuns.has(runId)) this.options.ledger.params += Object.keys(params).length;
    return this.route(runId).logParams(runId, params);
  }

  setTag(runId: string, key: string, value: string): Promise<void> {
    if (this.localRuns.has(runId)) this.options.ledger.tags++;
    return this.route(runId).setTag(runId, key, value);
  }

  setTags(runId: string, tags: Record<string, string>): Promise<void> {
    if (this.localRuns.has(runId)) this.options.ledger.tags += Object.keys(tags).length;
    return this.route(runId).setTags(runId, tags);
  }

  getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    return this.route(runId).getMetricHistory(runId, key);
  }

  async logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void> {
    if (this.localRuns.has(runId)) {
      this.options.ledger.artifacts++;
      return this.spillCall((s) => s.logArtifact(runId, localPath, artifactPath));
    }
    try {
      await this.options.primary.logArtifact(runId, localPath, artifactPath);
    } catch (error) {
      if (!(error instanceof TrackerUnavailableError)) throw error;
      this.options.ledger.note(error);
      this.options.ledger.artifacts++;
      const mirror = await this.mirrorOf(runId);
      await this.spillCall((s) => s.logArtifact(mirror, localPath, artifactPath));
    }
  }

  listArtifacts(runId: string, path?: string): Promise<ArtifactInfo[]> {
    return this.route(runId).listArtifacts(runId, path);
  }

  downloadArtifact(runId: string, path: string, destDir: string): Promise<string> {
    return this.route(runId).downloadArtifact(runId, path, destDir);
  }

  async flush(runId?: string): Promise<void> {
    if (runId === undefined || !this.localRuns.has(runId)) await this.options.primary.flush(runId);
    if (this.spill && (runId === undefined || this.localRuns.has(runId))) await this.spill.flush(runId);
  }

  /** The LogBatcher's `onUndeliverable` hook: writes a batch the server did not take to the run's mirror. */
  async spillBatch(remoteRunId: string, batch: LogBatch, error: unknown): Promise<void> {
    this.options.ledger.note(error);
    const mirror = await this.mirrorOf(remoteRunId);
    const spill = await this.spillStore();
    for (const { key, value } of batch.params) await spill.logParam(mirror, key, value);
    for (const { key, value } of batch.tags) await spill.setTag(mirror, key, value);
    // issued together: the local store joins concurrent appends to one file into one write, in call order
    await Promise.all(batch.metrics.map((m) => spill.logMetric(mirror, m.key, m.value, { step: m.step, timestamp: m.timestamp })));
    this.options.ledger.params += batch.params.length;
    this.options.ledger.tags += batch.tags.length;
    this.options.ledger.metrics += batch.metrics.length;
  }

  private route(runId: string): ITracker {
    if (!this.localRuns.has(runId)) return this.options.primary;
    if (!this.spill) throw new Error(`run ${runId} is in the spill store, which is not open`);
    return this.spill;
  }

  private mirrorOf(remoteRunId: string): Promise<string> {
    let mirror = this.mirrors.get(remoteRunId);
    if (!mirror) {
      mirror = this.spillCall(async (s) => {
        const run = await s.createRun({
          experimentName: this.options.experimentName,
          runName: this.runNames.get(remoteRunId),
          tags: { [SPILL_REMOTE_RUN_TAG]: remoteRunId },
        });
        this.options.ledger.runs.add(run.runId);
        return run.runId;
      });
      this.mirrors.set(remoteRunId, mirror);
    }
    return mirror;
  }

  private async spillCall<T>(fn: (spill: ITracker) => Promise<T>): Promise<T> {
    return fn(await this.spillStore());
  }

  private spillStore(): Promise<ITracker> {
    this.spillStarting ??= (async () => {
      const store = this.options.createSpillStore();
      await store.start();
      this.spill = store;
      return store;
    })();
    return this.spillStarting;
  }
}
