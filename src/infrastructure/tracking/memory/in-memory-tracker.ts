import type { Experiment } from '../../../domain/model/experiment';
import type { RunDefaults } from '../client/tracking-client-options';
import type { Metric, Run } from '../../../domain/model/run';
import type { ILogger } from '../../../domain/ports/logger';
import { TrackingClient } from '../client/tracking-client';
import { MemoryTrackingStore } from './memory-tracking-store';

export interface InMemoryTrackerOptions extends RunDefaults {
  /** Experiment runs go to when a RunConfig names none; created by `start()`. Default "Default" (id "0"). */
  experimentName?: string;
  /** Receives one warning per kind of truncated value, and one per run killed by `stop()`. */
  logger?: ILogger;
  /** Milliseconds since epoch; pin it in tests. */
  clock?: () => number;
  /** Recorded as each run's `userId`; defaults to the OS user. */
  userId?: string;
}

/**
 * ITracker kept in process memory: the TrackingClient over a MemoryTrackingStore, so it follows every
 * rule the MLflow and local trackers follow, plus query helpers so tests can assert on what a job logged.
 * Nothing is persisted; `stop()` marks runs this tracker opened and left RUNNING as KILLED.
 *
 * @example
 * const tracker = new InMemoryTracker({ experimentName: 'churn' });
 * await tracker.start();
 * const run = await tracker.createRun({ runName: 'baseline' });
 * await tracker.logMetric(run.runId, 'rmse', 0.42);
 * expect(tracker.metricValues(run.runId, 'rmse')).toEqual([0.42]);
 */
export class InMemoryTracker extends TrackingClient {
  private readonly memory: MemoryTrackingStore;

  constructor(options: InMemoryTrackerOptions = {}) {
    const store = new MemoryTrackingStore(options.clock);
    super(store, { ...options, serviceName: 'tracker:memory' });
    this.memory = store;
  }

  /** True between `start()` and `stop()`. */
  get isStarted(): boolean {
    return this.started;
  }

  // ---- query helpers for tests -------------------------------------------------------------

  /** Every run in creation order (snapshots). */
  runs(): Run[] {
    return this.memory.runs();
  }

  /** One run (snapshot); NotFoundError(RUN_NOT_FOUND) when unknown. */
  run(runId: string): Run {
    return this.memory.run(runId);
  }

  /** Every value logged for `key`, in logging order. */
  metrics(runId: string, key: string): Metric[] {
    return this.memory.metrics(runId, key);
  }

  /** Just the values of `metrics(runId, key)`. */
  metricValues(runId: string, key: string): number[] {
    return this.metrics(runId, key).map((m) => m.value);
  }

  params(runId: string): Record<string, string> {
    return this.run(runId).data.params;
  }

  tags(runId: string): Record<string, string> {
    return this.run(runId).data.tags;
  }

  experiments(): Experiment[] {
    return this.memory.experiments.all();
  }

  /** Artifact paths of a run, sorted. */
  artifacts(runId: string): string[] {
    return [...this.memory.files.filesOf(this.run(runId).info.artifactUri).keys()].sort();
  }

  /** Bytes of one artifact file, or undefined. */
  artifact(runId: string, path: string): Buffer | undefined {
    return this.memory.files.filesOf(this.run(runId).info.artifactUri).get(path);
  }
}
