import { ErrorCodes, NotFoundError } from '../../../domain/errors';
import type { ArtifactInfo } from '../../../domain/model/artifact';
import type { Experiment } from '../../../domain/model/experiment';
import { MlflowTags } from '../../../domain/model/run';
import type { Metric, MetricOptions, Page, Run, RunConfig, RunInfo, RunStatus, SearchRunsQuery } from '../../../domain/model/run';
import type { ILogger } from '../../../domain/ports/logger';
import type { ITracker, ParamValue } from '../../../domain/ports/tracker';
import { MemoryArtifacts } from './memory-artifacts';
import { ExperimentBook } from '../shared/experiment-book';
import { OpenRuns, assertTerminalStatus } from '../shared/run-lifecycle';
import { ValueRules, assertParamUnchanged, currentUser, isLaterMetric, makeMetric, newRunId, initialRunTags } from '../shared/run-values';
import { searchRunsIn } from '../shared/run-search';

export interface InMemoryTrackerOptions {
  /** Experiment runs go to when a RunConfig names none; created by `start()`. Default "Default" (id "0"). */
  experimentName?: string;
  /** Receives one warning per truncated param/tag value. */
  logger?: ILogger;
  /** Milliseconds since epoch; pin it in tests. */
  clock?: () => number;
  /** Recorded as each run's `userId`; defaults to the OS user. */
  userId?: string;
}

interface RunRecord {
  info: RunInfo;
  metrics: Map<string, Metric[]>;
  params: Map<string, string>;
  tags: Map<string, string>;
}

/**
 * ITracker kept in process memory, with MLflow's semantics (metrics append, tags overwrite, params
 * write-once, 32-hex run ids, experiment "0" = "Default"), plus query helpers so tests can assert on what
 * a job logged. Nothing is persisted; `stop()` marks runs this tracker opened and left RUNNING as KILLED.
 *
 * @example
 * const tracker = new InMemoryTracker({ experimentName: 'churn' });
 * await tracker.start();
 * const run = await tracker.createRun({ runName: 'baseline' });
 * await tracker.logMetric(run.runId, 'rmse', 0.42);
 * expect(tracker.metricValues(run.runId, 'rmse')).toEqual([0.42]);
 */
export class InMemoryTracker implements ITracker {
  readonly serviceName = 'tracker:memory';
  private readonly experimentBook: ExperimentBook;
  private readonly records = new Map<string, RunRecord>();
  private readonly openRuns = new OpenRuns();
  private readonly artifactStore = new MemoryArtifacts();
  private readonly clock: () => number;
  private readonly rules: ValueRules;
  private defaultId: string | undefined;
  private started = false;

  constructor(private readonly options: InMemoryTrackerOptions = {}) {
    this.clock = options.clock ?? (() => Date.now());
    this.experimentBook = new ExperimentBook(this.clock);
    this.rules = new ValueRules(options.logger);
  }

  get defaultExperimentId(): string | undefined {
    return this.defaultId;
  }

  /** True between `start()` and `stop()`. */
  get isStarted(): boolean {
    return this.started;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.defaultId ??= this.experimentBook.getOrCreate(this.options.experimentName ?? 'Default');
    this.started = true;
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.openRuns.killAll(async (runId) => {
      const info = this.records.get(runId)!.info;
      if (info.status !== 'RUNNING') return false;
      Object.assign(info, { status: 'KILLED', endTime: this.clock() });
      return true;
    }, this.options.logger);
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    return this.experimentBook.get(experimentId);
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    return this.experimentBook.byName(name);
  }

  async getOrCreateExperiment(name: string, tags?: Record<string, string>): Promise<string> {
    return this.experimentBook.getOrCreate(name, tags);
  }

  async createRun(config: RunConfig = {}): Promise<RunInfo> {
    const experimentId = this.resolveExperiment(config);
    const userId = this.options.userId ?? currentUser();
    const { tags, runName } = initialRunTags(config, this.rules, userId);
    const runId = newRunId();
    const info: RunInfo = {
      runId, experimentId, runName, status: 'RUNNING', startTime: config.startTime ?? this.clock(),
      artifactUri: `memory:/${experimentId}/${runId}/artifacts`, lifecycleStage: 'active',
      userId,
    };
    this.records.set(runId, { info, metrics: new Map(), params: new Map(), tags });
    this.openRuns.add(runId);
    return { ...info };
  }

  async endRun(runId: string, status: RunStatus = 'FINISHED', endTime?: number): Promise<void> {
    const record = this.record(runId);
    assertTerminalStatus(runId, status);
    Object.assign(record.info, { status, endTime: endTime ?? this.clock() });
    this.openRuns.ended(runId);
  }

  async getRun(runId: string): Promise<Run> {
    return snapshot(this.record(runId));
  }

  async searchRuns(query: SearchRunsQuery): Promise<Page<Run>> {
    return searchRunsIn([...this.records.values()].map(snapshot), query);
  }

  async logMetric(runId: string, key: string, value: number, options?: MetricOptions): Promise<void> {
    await this.logMetrics(runId, { [key]: value }, options);
  }

  async logMetrics(runId: string, metrics: Record<string, number>, options?: MetricOptions): Promise<void> {
    const record = this.record(runId);
    const now = this.clock();
    const made = Object.entries(metrics).map(([key, value]) => makeMetric(key, value, options, now));
    for (const metric of made) {
      const history = record.metrics.get(metric.key) ?? [];
      history.push(metric);
      record.metrics.set(metric.key, history);
    }
  }

  async logParam(runId: string, key: string, value: ParamValue): Promise<void> {
    await this.logParams(runId, { [key]: value });
  }

  async logParams(runId: string, params: Record<string, ParamValue>): Promise<void> {
    const record = this.record(runId);
    const values = Object.entries(params).map(([key, value]) => [key, this.rules.param(key, value)] as const);
    for (const [key, value] of values) assertParamUnchanged(runId, key, record.params.get(key), value);
    for (const [key, value] of values) record.params.set(key, value);
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.setTags(runId, { [key]: value });
  }

  async setTags(runId: string, tags: Record<string, string>): Promise<void> {
    const record = this.record(runId);
    const values = Object.entries(tags).map(([key, value]) => [key, this.rules.tag(key, value)] as const);
    for (const [key, value] of values) {
      record.tags.set(key, value);
      if (key === MlflowTags.RUN_NAME) record.info.runName = value;
    }
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    return (this.record(runId).metrics.get(key) ?? []).map((m) => ({ ...m }));
  }

  async logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void> {
    this.record(runId);
    await this.artifactStore.put(runId, localPath, artifactPath);
  }

  async listArtifacts(runId: string, path?: string): Promise<ArtifactInfo[]> {
    this.record(runId);
    return this.artifactStore.list(runId, path);
  }

  async downloadArtifact(runId: string, path: string, destDir: string): Promise<string> {
    this.record(runId);
    return this.artifactStore.download(runId, path, destDir);
  }

  async flush(): Promise<void> {
    // every write lands in memory before its call resolves: nothing waits for delivery
  }

  // ---- query helpers for tests -------------------------------------------------------------

  /** Every run in creation order (snapshots). */
  runs(): Run[] {
    return [...this.records.values()].map(snapshot);
  }

  /** One run (snapshot); NotFoundError(RUN_NOT_FOUND) when unknown. */
  run(runId: string): Run {
    return snapshot(this.record(runId));
  }

  /** Every value logged for `key`, in logging order. */
  metrics(runId: string, key: string): Metric[] {
    return (this.record(runId).metrics.get(key) ?? []).map((m) => ({ ...m }));
  }

  /** Just the values of `metrics(runId, key)`. */
  metricValues(runId: string, key: string): number[] {
    return this.metrics(runId, key).map((m) => m.value);
  }

  params(runId: string): Record<string, string> {
    return Object.fromEntries(this.record(runId).params);
  }

  tags(runId: string): Record<string, string> {
    return Object.fromEntries(this.record(runId).tags);
  }

  experiments(): Experiment[] {
    return this.experimentBook.all();
  }

  /** Artifact paths of a run, sorted. */
  artifacts(runId: string): string[] {
    return [...this.artifactStore.filesOf(this.record(runId).info.runId).keys()].sort();
  }

  /** Bytes of one artifact file, or undefined. */
  artifact(runId: string, path: string): Buffer | undefined {
    return this.artifactStore.filesOf(this.record(runId).info.runId).get(path);
  }

  private resolveExperiment(config: RunConfig): string {
    if (config.experimentId !== undefined) return this.experimentBook.get(config.experimentId).experimentId;
    if (config.experimentName !== undefined) return this.experimentBook.getOrCreate(config.experimentName);
    this.defaultId ??= this.experimentBook.getOrCreate(this.options.experimentName ?? 'Default');
    return this.defaultId;
  }

  private record(runId: string): RunRecord {
    const record = this.records.get(runId);
    if (!record) {
      throw new NotFoundError(`Run ${JSON.stringify(runId)} not found in the in-memory tracker.`, ErrorCodes.RUN_NOT_FOUND, {
        details: { runId },
      });
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
