import type { StoreHealth } from './store-health';
import type { ServiceStartOptions } from '../../../domain/ports/service';
import type { Experiment } from '../../../domain/model/experiment';
import type { Metric, Page, Run, RunInfo, RunStatus, SearchRunsQuery } from '../../../domain/model/run';
import type { ArtifactStore } from '../shared/artifact-store';
import type { LogBatch } from '../shared/log-batch';
import type { LoggedModelStore } from './logged-model-store';

/**
 * What a store tells the client about the backend it reached, once per `open()`.
 *
 * @example const { tagValueLimit } = await store.open(); // 5000 on an MLflow 2.x server, 8000 elsewhere
 */
export interface StoreTraits {
  /** Longest run tag value the backend keeps; the client truncates to it. */
  tagValueLimit: number;
}

/**
 * A new run as the client decided it: experiment resolved, name chosen, initial tags complete and checked.
 *
 * @example await store.createRun({ experimentId: '0', runName: 'bright-owl-1', startTime: Date.now(), userId: 'ana', tags: { 'mlflow.runName': 'bright-owl-1' } });
 */
export interface NewRun {
  experimentId: string;
  runName: string;
  startTime: number;
  userId: string;
  tags: Record<string, string>;
}

/**
 * Persistence only: MLflow REST, the local file store, memory, no-op. A store takes values the
 * TrackingClient already validated, truncated and defaulted, and answers with MLflow's semantics
 * (metrics append, tags overwrite, params write-once: a different value is a ConflictError). It owns
 * no lifecycle rule: no kill-on-stop, no default experiment, no truncation warning. Batching and spill
 * are decorators that implement this same interface around another store.
 *
 * @example
 * const client = new TrackingClient(new MemoryTrackingStore(), { experimentName: 'churn' });
 */
export interface TrackingStore {
  /** For log lines and errors, never with credentials: `MLflow at http://mlflow:5000`, `local store ./mlruns`. */
  readonly description: string;
  /**
   * First contact (a server probe, creating a local store). Called again after `close()` to reopen.
   * `required`: no fallback (a spill layer rethrows the server's error instead of degrading).
   */
  open(options?: ServiceStartOptions): Promise<StoreTraits>;
  /** A cheap, bounded probe of the backend for health endpoints; never rejects. Absent: nothing to probe. */
  health?(): Promise<StoreHealth>;
  /** Releases connections and timers. The client flushed before calling it. */
  close(): Promise<void>;

  getExperiment(experimentId: string): Promise<Experiment>;
  /** Undefined when there is none. */
  getExperimentByName(name: string): Promise<Experiment | undefined>;
  /** The experiment's id, creating it if missing; safe when two callers race. */
  getOrCreateExperiment(name: string, tags?: Record<string, string>): Promise<string>;

  createRun(run: NewRun): Promise<RunInfo>;
  updateRun(runId: string, patch: { status?: RunStatus; endTime?: number; runName?: string }): Promise<void>;
  getRun(runId: string): Promise<Run>;
  searchRuns(query: SearchRunsQuery): Promise<Page<Run>>;

  /** The hot path: one checked metric. May be buffered until `flush`. */
  logMetric(runId: string, metric: Metric): Promise<void>;
  /** Checked values for one run. May be buffered until `flush`. */
  logBatch(runId: string, batch: LogBatch): Promise<void>;
  getMetricHistory(runId: string, key: string): Promise<Metric[]>;
  /** Resolves when everything logged so far (for one run, or all) is persisted; throws the first loss. */
  flush(runId?: string): Promise<void>;

  /** The files of a run or logged model whose artifact root is `artifactUri`. */
  artifactStore(artifactUri: string): ArtifactStore;
  /** Logged models, run inputs and outputs; absent on a store that keeps none (no-op). */
  readonly loggedModels?: LoggedModelStore;
}
