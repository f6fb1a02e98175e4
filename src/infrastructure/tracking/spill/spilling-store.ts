import { TrackerUnavailableError } from '../../../domain/errors';
import type { Experiment } from '../../../domain/model/experiment';
import { MlflowTags, type Metric, type Page, type Run, type RunInfo, type RunStatus, type SearchRunsQuery } from '../../../domain/model/run';
import type { ILogger } from '../../../domain/ports/logger';
import { currentUser } from '../client/client-rules';
import type { NewRun, StoreTraits, TrackingStore } from '../client/tracking-store';
import type { ArtifactStore } from '../shared/artifact-store';
import type { LogBatch } from '../shared/log-batch';
import { randomRunName } from '../shared/run-values';
import { SpilledArtifacts } from './spilled-artifacts';
import { SPILL_REMOTE_RUN_TAG, type SpillLedger } from './spill-ledger';

export interface SpillingStoreOptions {
  /** The server-backed store. */
  primary: TrackingStore;
  /** The local store in the spill directory; opened on first use. */
  spill: TrackingStore;
  ledger: SpillLedger;
  /** Experiment of spill-store runs that mirror server runs (and of runs whose server experiment is unknown). */
  experimentName: string;
  logger?: ILogger;
}

const unavailable = (error: unknown): error is TrackerUnavailableError => error instanceof TrackerUnavailableError;

/**
 * `tracking.onUnavailable: spill` as a TrackingStore layer with ONE overflow policy: a
 * TrackerUnavailableError from the primary (after its retries, or at once once the server's breaker is
 * open) sends the write to the local spill store instead, so the job carries on and nothing is lost.
 * Runs created while the server is down live only in the spill store; values, status and artifacts of a
 * server run go to a mirror run tagged `mlops-kit.spill.remote_run_id`, which `mlops-kit sync` appends to
 * the original. The ledger counts it all, and `close()` prints the one warning with the totals and the
 * sync command. It sits beneath the batching layer, so a batch the server cannot take lands here.
 *
 * @example
 * const store = new BatchingStore(new SpillingStore({ primary: new MlflowTrackingStore(settings, rest), spill: new LocalTrackingStore(settings.spillDir), ledger, experimentName }));
 */
export class SpillingStore implements TrackingStore {
  /** The server could not be reached at open: every run goes to the spill store. */
  private degraded = false;
  private spillOpening: Promise<StoreTraits> | undefined;
  private readonly localRuns = new Set<string>();
  private readonly mirrors = new Map<string, Promise<string>>();
  private readonly runNames = new Map<string, string>();
  private readonly experimentNames = new Map<string, string>();
  private readonly artifacts: SpilledArtifacts;

  constructor(private readonly options: SpillingStoreOptions) {
    this.artifacts = new SpilledArtifacts(options.primary, options.spill, options.ledger, (runId) => this.mirrorOf(runId));
  }

  get description(): string {
    return this.options.primary.description;
  }

  async open(): Promise<StoreTraits> {
    try {
      return await this.options.primary.open();
    } catch (error) {
      if (!unavailable(error)) throw error;
      this.degraded = true;
      this.options.ledger.note(error);
      this.options.logger?.warn(`${error.message} This job tracks to the spill store ${this.options.ledger.spillDir} instead.`);
      return this.openSpill();
    }
  }

  async close(): Promise<void> {
    const { ledger, logger } = this.options;
    let firstError: unknown;
    // a server that is down cannot be told anything more; what it missed was spilled
    await this.options.primary.close().catch((error: unknown) => unavailable(error) || (firstError = error));
    await Promise.all(this.mirrors.values()).catch(() => undefined);
    if (this.spillOpening) await this.options.spill.close().catch((error: unknown) => (firstError ??= error));
    // the one warning of this outage; counting starts afresh should the store be opened again
    if (!ledger.isEmpty) logger?.warn(ledger.summary());
    ledger.reset();
    this.degraded = false;
    this.spillOpening = undefined;
    for (const state of [this.localRuns, this.mirrors, this.runNames, this.experimentNames]) state.clear();
    this.artifacts.clear();
    if (firstError !== undefined) throw firstError;
  }

  getExperiment(experimentId: string): Promise<Experiment> {
    return this.degraded ? this.options.spill.getExperiment(experimentId) : this.options.primary.getExperiment(experimentId);
  }

  getExperimentByName(name: string): Promise<Experiment | undefined> {
    return this.degraded ? this.options.spill.getExperimentByName(name) : this.options.primary.getExperimentByName(name);
  }

  async getOrCreateExperiment(name: string, tags?: Record<string, string>): Promise<string> {
    const id = await (this.degraded ? this.options.spill : this.options.primary).getOrCreateExperiment(name, tags);
    this.experimentNames.set(id, name);
    return id;
  }

  async createRun(run: NewRun): Promise<RunInfo> {
    if (!this.degraded) {
      try {
        const info = await this.options.primary.createRun(run);
        this.runNames.set(info.runId, info.runName);
        this.artifacts.serverRun(info);
        return info;
      } catch (error) {
        if (!unavailable(error)) throw error;
        this.options.ledger.note(error);
      }
    }
    await this.openSpill();
    // a server experiment id means nothing to the spill store: the same name there (a parent on the server stays named, for sync)
    const experimentId = this.degraded ? run.experimentId : await this.spillExperiment(this.experimentNames.get(run.experimentId));
    const info = await this.options.spill.createRun({ ...run, experimentId });
    this.localRuns.add(info.runId);
    this.options.ledger.runs.add(info.runId);
    this.artifacts.spillRun(info);
    return info;
  }

  async updateRun(runId: string, patch: { status?: RunStatus; endTime?: number; runName?: string }): Promise<void> {
    if (this.localRuns.has(runId)) return this.options.spill.updateRun(runId, patch);
    try {
      await this.options.primary.updateRun(runId, patch);
    } catch (error) {
      if (!unavailable(error)) throw error;
      this.options.ledger.note(error);
      return this.options.spill.updateRun(await this.mirrorOf(runId), patch);
    }
    const mirror = this.mirrors.get(runId);
    if (mirror) await this.options.spill.updateRun(await mirror, patch);
  }

  /**
   * A server run read while the server is down answers what the spill store holds for it (its mirror,
   * under the server run's id), as the registry layer does: a job sees its own writes, and stop() can
   * still mark a run left open KILLED, which sync then tells the server.
   */
  async getRun(runId: string): Promise<Run> {
    if (this.localRuns.has(runId)) return this.options.spill.getRun(runId);
    try {
      const run = await this.options.primary.getRun(runId);
      this.artifacts.serverRun(run.info);
      return run;
    } catch (error) {
      if (!unavailable(error) || !this.runNames.has(runId)) throw error;
      this.options.ledger.note(error);
      const mirror = await this.options.spill.getRun(await this.mirrorOf(runId));
      return { ...mirror, info: { ...mirror.info, runId } };
    }
  }

  searchRuns(query: SearchRunsQuery): Promise<Page<Run>> {
    return this.degraded ? this.options.spill.searchRuns(query) : this.options.primary.searchRuns(query);
  }

  logMetric(runId: string, metric: Metric): Promise<void> {
    return this.logBatch(runId, { metrics: [metric], params: [], tags: [] });
  }

  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    if (this.localRuns.has(runId)) {
      await this.options.spill.logBatch(runId, batch);
    } else {
      try {
        return await this.options.primary.logBatch(runId, batch);
      } catch (error) {
        if (!unavailable(error)) throw error;
        this.options.ledger.note(error);
        await this.options.spill.logBatch(await this.mirrorOf(runId), batch);
      }
    }
    this.options.ledger.metrics += batch.metrics.length;
    this.options.ledger.params += batch.params.length;
    this.options.ledger.tags += batch.tags.length;
  }

  getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    return (this.localRuns.has(runId) ? this.options.spill : this.options.primary).getMetricHistory(runId, key);
  }

  async flush(runId?: string): Promise<void> {
    if (runId === undefined || !this.localRuns.has(runId)) await this.options.primary.flush(runId);
    if (this.spillOpening) await this.options.spill.flush(runId);
  }

  artifactStore(artifactUri: string): ArtifactStore {
    return this.artifacts.at(artifactUri);
  }

  /** The spill-store run that holds what a server run could not take; created once, on first need. */
  private mirrorOf(remoteRunId: string): Promise<string> {
    let mirror = this.mirrors.get(remoteRunId);
    if (!mirror) {
      mirror = (async () => {
        await this.openSpill();
        const runName = this.runNames.get(remoteRunId) ?? randomRunName();
        const userId = currentUser();
        const tags = { [SPILL_REMOTE_RUN_TAG]: remoteRunId, [MlflowTags.RUN_NAME]: runName, [MlflowTags.USER]: userId };
        const experimentId = await this.spillExperiment(undefined);
        const info = await this.options.spill.createRun({ experimentId, runName, startTime: Date.now(), userId, tags });
        this.options.ledger.runs.add(info.runId);
        return info.runId;
      })();
      mirror.catch(() => this.mirrors.delete(remoteRunId));
      this.mirrors.set(remoteRunId, mirror);
    }
    return mirror;
  }

  private spillExperiment(name: string | undefined): Promise<string> {
    return this.options.spill.getOrCreateExperiment(name ?? this.options.experimentName);
  }

  private openSpill(): Promise<StoreTraits> {
    this.spillOpening ??= this.options.spill.open().catch((error: unknown) => {
      this.spillOpening = undefined;
      throw error;
    });
    return this.spillOpening;
  }
}
