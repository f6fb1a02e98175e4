import { healthOf, type StoreHealth } from '../client/store-health';
import type { ServiceStartOptions } from '../../../domain/ports/service';
import type { Experiment } from '../../../domain/model/experiment';
import type { Metric, Page, Run, RunInfo, RunStatus, SearchRunsQuery } from '../../../domain/model/run';
import type { LoggedModelStore } from '../client/logged-model-store';
import type { NewRun, StoreTraits, TrackingStore } from '../client/tracking-store';
import type { ArtifactStore } from '../shared/artifact-store';
import type { LogBatch } from '../shared/log-batch';

/**
 * What the batching layer needs of a batcher (MLflow's LogBatcher: it cuts batches within MLflow's limits,
 * sends in the background with backpressure, and throws the first loss from flush/close).
 *
 * @example const batcher: Batcher = new LogBatcher({ send: (runId, batch) => store.logBatch(runId, batch) });
 */
export interface Batcher {
  enqueueMetric(runId: string, metric: Metric): Promise<void>;
  enqueueParam(runId: string, key: string, value: string): Promise<void>;
  enqueueTag(runId: string, key: string, value: string): Promise<void>;
  flush(runId?: string): Promise<void>;
  close(): Promise<void>;
}

/** Makes a batcher that delivers with `send` (the `logBatch` of the store beneath). */
export type BatcherFactory = (send: (runId: string, batch: LogBatch) => Promise<void>) => Batcher;

/**
 * A TrackingStore layer that batches writes: `logMetric` and `logBatch` go into a batcher (MLflow's
 * LogBatcher, made by `createBatcher` so this layer depends on no adapter), which sends
 * `logBatch` requests to the store beneath in the background; `flush(runId)` waits for them. Reads of a
 * run (getRun, getMetricHistory) and `updateRun` flush that run first, `searchRuns` flushes everything, so
 * nothing is read or ended ahead of its values. What the store beneath cannot take is its business (the
 * spill layer takes it; without one the batcher keeps the first error and throws it from the next flush or
 * close). `close()` drains and closes the batcher; a reopened store gets a fresh one.
 *
 * @example
 * const store = new BatchingStore(new MlflowTrackingStore(settings, rest), (send) => new LogBatcher({ send, logger }));
 * const client = new TrackingClient(store, { experimentName: 'churn' });
 */
export class BatchingStore implements TrackingStore {
  private current: Batcher | undefined;

  constructor(
    private readonly inner: TrackingStore,
    private readonly createBatcher: BatcherFactory,
  ) {}

  get description(): string {
    return this.inner.description;
  }

  get loggedModels(): LoggedModelStore | undefined {
    return this.inner.loggedModels;
  }

  open(options?: ServiceStartOptions): Promise<StoreTraits> {
    return this.inner.open(options);
  }

  health(): Promise<StoreHealth> {
    return healthOf(this.inner);
  }

  async close(): Promise<void> {
    const batcher = this.current;
    this.current = undefined;
    let firstError: unknown;
    if (batcher) await batcher.close().catch((error: unknown) => (firstError = error));
    await this.inner.close().catch((error: unknown) => (firstError ??= error));
    if (firstError !== undefined) throw firstError;
  }

  getExperiment(experimentId: string): Promise<Experiment> {
    return this.inner.getExperiment(experimentId);
  }

  getExperimentByName(name: string): Promise<Experiment | undefined> {
    return this.inner.getExperimentByName(name);
  }

  getOrCreateExperiment(name: string, tags?: Record<string, string>): Promise<string> {
    return this.inner.getOrCreateExperiment(name, tags);
  }

  createRun(run: NewRun): Promise<RunInfo> {
    return this.inner.createRun(run);
  }

  async updateRun(runId: string, patch: { status?: RunStatus; endTime?: number; runName?: string }): Promise<void> {
    await this.current?.flush(runId);
    await this.inner.updateRun(runId, patch);
  }

  async getRun(runId: string): Promise<Run> {
    await this.current?.flush(runId);
    return this.inner.getRun(runId);
  }

  async searchRuns(query: SearchRunsQuery): Promise<Page<Run>> {
    await this.current?.flush();
    return this.inner.searchRuns(query);
  }

  /** The hot path: not `async`; resolves when the batcher accepted the value (see LogBatcher's backpressure). */
  logMetric(runId: string, metric: Metric): Promise<void> {
    return this.batcher().enqueueMetric(runId, metric);
  }

  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    const batcher = this.batcher();
    for (const { key, value } of batch.params) await batcher.enqueueParam(runId, key, value);
    for (const { key, value } of batch.tags) await batcher.enqueueTag(runId, key, value);
    for (const metric of batch.metrics) await batcher.enqueueMetric(runId, metric);
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    await this.current?.flush(runId);
    return this.inner.getMetricHistory(runId, key);
  }

  async flush(runId?: string): Promise<void> {
    await this.current?.flush(runId);
    await this.inner.flush(runId);
  }

  artifactStore(artifactUri: string): ArtifactStore {
    return this.inner.artifactStore(artifactUri);
  }

  /** Created on first use, so a store reopened after `close()` batches with a fresh one. */
  private batcher(): Batcher {
    this.current ??= this.createBatcher((runId, batch) => this.inner.logBatch(runId, batch));
    return this.current;
  }
}
