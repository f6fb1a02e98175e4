import { healthOf, type StoreHealth } from '../client/store-health';
import type { ServiceStartOptions } from '../../../domain/ports/service';
import { TrackerUnavailableError } from '../../../domain/errors';
import type { Experiment } from '../../../domain/model/experiment';
import type { Metric, Page, Run, RunInfo, RunStatus, SearchRunsQuery } from '../../../domain/model/run';
import type { ILogger } from '../../../domain/ports/logger';
import type { NewRun, StoreTraits, TrackingStore } from '../client/tracking-store';
import type { ArtifactStore } from '../shared/artifact-store';
import type { LogBatch } from '../shared/log-batch';
import { SpilledArtifacts } from './spilled-artifacts';
import { SpilledLoggedModels } from './spilled-logged-models';
import { MirrorRuns } from './mirror-runs';
import type { SpillLedger } from './spill-ledger';

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
  private readonly experimentNames = new Map<string, string>();
  private readonly mirrors: MirrorRuns;
  private readonly artifacts: SpilledArtifacts;
  readonly loggedModels: SpilledLoggedModels;

  constructor(private readonly options: SpillingStoreOptions) {
    this.mirrors = new MirrorRuns(options.spill, options.ledger, options.experimentName, () => this.openSpill());
    this.artifacts = new SpilledArtifacts(options.primary, options.spill, options.ledger, (runId) => this.mirrors.of(runId));
    this.loggedModels = new SpilledLoggedModels({
      primary: options.primary.loggedModels,
      spill: options.spill.loggedModels,
      degraded: () => this.degraded,
      isSpillRun: (runId) => this.localRuns.has(runId),
      mirror: async (runId) => {
        const mirrorId = await this.mirrors.of(runId);
        return { runId: mirrorId, experimentId: (await options.spill.getRun(mirrorId)).info.experimentId };
      },
      note: (error) => options.ledger.note(error),
      spilledModel: (modelId) => options.ledger.loggedModels.add(modelId),
      spillUri: (uri) => this.artifacts.spillUri(uri),
    });
  }

  get description(): string {
    return this.options.primary.description;
  }

  /** `required` (the app named the tracker at boot): the server's error is thrown, nothing spills. */
  async open(options: ServiceStartOptions = {}): Promise<StoreTraits> {
    try {
      return await this.options.primary.open();
    } catch (error) {
      if (!unavailable(error) || options.required === true) throw error;
      this.degraded = true;
      this.options.ledger.note(error);
      this.options.logger?.warn(`${error.message} This job tracks to the spill store ${this.options.ledger.spillDir} instead.`);
      return this.openSpill();
    }
  }

  /** The server's report, plus whether writes spill now and how many runs this process spilled (for sync). */
  async health(): Promise<StoreHealth> {
    const primary = await healthOf(this.options.primary);
    return { ...primary, spilling: this.degraded || primary.unreachable === true, pendingSync: this.options.ledger.runs.size };
  }

  async close(): Promise<void> {
    const { ledger, logger } = this.options;
    let firstError: unknown;
    // a server that is down cannot be told anything more; what it missed was spilled
    await this.options.primary.close().catch((error: unknown) => unavailable(error) || (firstError = error));
    await this.mirrors.settled();
    if (this.spillOpening) await this.options.spill.close().catch((error: unknown) => (firstError ??= error));
    // the one warning of this outage; counting starts afresh should the store be opened again
    if (!ledger.isEmpty) logger?.warn(ledger.summary());
    ledger.reset();
    this.degraded = false;
    this.spillOpening = undefined;
    this.localRuns.clear();
    this.experimentNames.clear();
    this.mirrors.clear();
    this.artifacts.clear();
    this.loggedModels.clear();
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
        this.mirrors.serverRun(info.runId, info.runName);
        this.artifacts.serverRun(info);
        return info;
      } catch (error) {
        if (!unavailable(error)) throw error;
        this.options.ledger.note(error);
      }
    }
    await this.openSpill();
    // a server experiment id means nothing to the spill store: the same name there (a parent on the server stays named, for sync)
    const name = this.experimentNames.get(run.experimentId) ?? this.options.experimentName;
    const experimentId = this.degraded ? run.experimentId : await this.options.spill.getOrCreateExperiment(name);
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
      return this.options.spill.updateRun(await this.mirrors.of(runId), patch);
    }
    const mirror = this.mirrors.existing(runId);
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
      if (!unavailable(error) || !this.mirrors.knows(runId)) throw error;
      this.options.ledger.note(error);
      const mirror = await this.options.spill.getRun(await this.mirrors.of(runId));
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
        await this.options.spill.logBatch(await this.mirrors.of(runId), batch);
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

  private openSpill(): Promise<StoreTraits> {
    this.spillOpening ??= this.options.spill.open().catch((error: unknown) => {
      this.spillOpening = undefined;
      throw error;
    });
    return this.spillOpening;
  }
}
