import type { StoreHealth } from '../client/store-health';
import { ErrorCodes, NotFoundError } from '../../../domain/errors';
import { MemoryLoggedModelStore } from './memory-logged-model-store';
import type { Experiment } from '../../../domain/model/experiment';
import { Limits } from '../../../domain/model/naming-rules';
import { MlflowTags, type Metric, type Page, type Run, type RunInfo, type RunStatus, type SearchRunsQuery } from '../../../domain/model/run';
import type { NewRun, StoreTraits, TrackingStore } from '../client/tracking-store';
import type { ArtifactStore } from '../shared/artifact-store';
import { ExperimentBook } from '../shared/experiment-book';
import type { LogBatch } from '../shared/log-batch';
import { searchRunsIn } from '../shared/run-search';
import { assertParamUnchanged, isLaterMetric, newRunId } from '../shared/run-values';
import { MemoryArtifacts } from './memory-artifacts';

interface RunRecord {
  info: RunInfo;
  metrics: Map<string, Metric[]>;
  params: Map<string, string>;
  tags: Map<string, string>;
}

const RESOLVED = Promise.resolve();

/**
 * A TrackingStore in process memory with MLflow's semantics (metrics append, tags overwrite, params
 * write-once, 32-hex run ids, experiment "0" = "Default"). Every write is done before its call resolves,
 * so `flush` has nothing to wait for. What it holds survives close/open: a restarted client sees it.
 *
 * @example
 * const store = new MemoryTrackingStore();
 * const tracker = new TrackingClient(store);
 * store.run(runId).data.metrics; // what the client logged
 */
export class MemoryTrackingStore implements TrackingStore {
  readonly description = 'memory';
  readonly experiments: ExperimentBook;
  readonly files = new MemoryArtifacts();
  private readonly records = new Map<string, RunRecord>();
  /** Logged models, datasets, run inputs and outputs, with the local store's semantics. */
  readonly loggedModels: MemoryLoggedModelStore;

  constructor(clock: () => number = Date.now) {
    this.experiments = new ExperimentBook(clock);
    this.loggedModels = new MemoryLoggedModelStore({
      clock,
      lookup: {
        experimentOf: (runId) => this.records.get(runId)?.info.experimentId,
        hasExperiment: (experimentId) => this.experiments.all().some((e) => e.experimentId === experimentId),
      },
    });
  }

  async open(): Promise<StoreTraits> {
    return { tagValueLimit: Limits.MAX_TAG_VALUE_LENGTH };
  }

  async health(): Promise<StoreHealth> {
    return { ok: true, backend: 'memory' };
  }

  async close(): Promise<void> {}

  async getExperiment(experimentId: string): Promise<Experiment> {
    return this.experiments.get(experimentId);
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    return this.experiments.byName(name);
  }

  async getOrCreateExperiment(name: string, tags?: Record<string, string>): Promise<string> {
    return this.experiments.getOrCreate(name, tags);
  }

  async createRun(run: NewRun): Promise<RunInfo> {
    const experimentId = this.experiments.get(run.experimentId).experimentId;
    const runId = newRunId();
    const info: RunInfo = {
      runId, experimentId, runName: run.runName, status: 'RUNNING', startTime: run.startTime,
      artifactUri: `memory:/${experimentId}/${runId}/artifacts`, lifecycleStage: 'active', userId: run.userId,
    };
    this.records.set(runId, { info, metrics: new Map(), params: new Map(), tags: new Map(Object.entries(run.tags)) });
    return { ...info };
  }

  async updateRun(runId: string, patch: { status?: RunStatus; endTime?: number; runName?: string }): Promise<void> {
    const info = this.record(runId).info;
    if (patch.status !== undefined) info.status = patch.status;
    if (patch.endTime !== undefined) info.endTime = patch.endTime;
    if (patch.runName !== undefined) info.runName = patch.runName;
  }

  async getRun(runId: string): Promise<Run> {
    const run = this.run(runId);
    const [inputs, outputs] = await Promise.all([this.loggedModels.runInputs(runId), this.loggedModels.runOutputs(runId)]);
    return { ...run, inputs, outputs };
  }

  async searchRuns(query: SearchRunsQuery): Promise<Page<Run>> {
    return searchRunsIn(this.runs(), query);
  }

  logMetric(runId: string, metric: Metric): Promise<void> {
    try {
      this.append(this.record(runId), metric);
      return RESOLVED;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    const record = this.record(runId);
    for (const { key, value } of batch.params) assertParamUnchanged(runId, key, record.params.get(key), value);
    for (const { key, value } of batch.params) record.params.set(key, value);
    for (const { key, value } of batch.tags) {
      record.tags.set(key, value);
      if (key === MlflowTags.RUN_NAME) record.info.runName = value;
    }
    for (const metric of batch.metrics) this.append(record, metric);
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    return this.metrics(runId, key);
  }

  async flush(): Promise<void> {}

  artifactStore(artifactUri: string): ArtifactStore {
    return this.files.at(artifactUri);
  }

  // ---- reads without a promise, for the InMemoryTracker's query helpers -----------------------

  /** Every run in creation order (snapshots). */
  runs(): Run[] {
    return [...this.records.values()].map(snapshot);
  }

  /** One run (snapshot); NotFoundError(RUN_NOT_FOUND) when unknown. */
  run(runId: string): Run {
    return snapshot(this.record(runId));
  }

  /** Every value logged for `key`, in logging order (copies). */
  metrics(runId: string, key: string): Metric[] {
    return (this.record(runId).metrics.get(key) ?? []).map((m) => ({ ...m }));
  }

  private append(record: RunRecord, metric: Metric): void {
    const history = record.metrics.get(metric.key);
    if (history) history.push(metric);
    else record.metrics.set(metric.key, [metric]);
  }

  private record(runId: string): RunRecord {
    const record = this.records.get(runId);
    if (!record) {
      throw new NotFoundError(`Run ${JSON.stringify(runId)} not found in the in-memory tracker.`, ErrorCodes.RUN_NOT_FOUND, { details: { runId } });
    }
    return record;
  }
}

function snapshot(record: RunRecord): Run {
  const metrics: Record<string, Metric> = {};
  for (const [key, history] of record.metrics) {
    let latest: Metric | undefined;
    for (const metric of history) if (isLaterMetric(metric, latest)) latest = metric;
    metrics[key] = { ...latest! };
  }
  return {
    info: { ...record.info },
    data: { metrics, params: Object.fromEntries(record.params), tags: Object.fromEntries(record.tags) },
  };
}
