import type { ILogger } from '../../../domain/ports/logger';
import type { RunDefaults } from '../client/tracking-client-options';
import { TrackingClient } from '../client/tracking-client';
import { DEFAULT_ROOT, type StoreLayout } from './local-layout';
import { LocalTrackingStore } from './local-tracking-store';

export interface LocalTrackerOptions extends RunDefaults {
  /** Store directory, or a `file:` URI. Default `./mlruns`. */
  root?: string;
  /** Experiment runs go to when a RunConfig names none; created by `start()`. Default "Default" (id "0"). */
  experimentName?: string;
  /** Receives a warning the first time a param or tag is truncated, and one per run killed by `stop()`. */
  logger?: ILogger;
  /** Milliseconds since epoch; pin it in tests. */
  clock?: () => number;
  /** Recorded as `user_id` and the `mlflow.user` tag; defaults to the OS user. */
  userId?: string;
}

/**
 * ITracker over MLflow's file store (the directory `mlflow server --backend-store-uri ./mlruns` or
 * `mlflow ui` reads): the TrackingClient over a LocalTrackingStore. Metric lines are appended in the
 * background; `flush()`, `endRun()`, reads and `stop()` wait for them, so many runs in one process and
 * several processes can share a store.
 *
 * @example
 * const tracker = new LocalTracker({ root: './mlruns', experimentName: 'churn' });
 * await tracker.start();
 * const run = await tracker.createRun({ runName: 'baseline' });
 * await tracker.logMetric(run.runId, 'rmse', 0.42);   // appends "1700000000000 0.42 0" to …/metrics/rmse
 * await tracker.endRun(run.runId);
 * await tracker.stop();
 */
export class LocalTracker extends TrackingClient {
  /** Where the store lives on disk. */
  readonly layout: StoreLayout;

  constructor(options: LocalTrackerOptions = {}) {
    const store = new LocalTrackingStore(options.root ?? DEFAULT_ROOT, options.clock);
    super(store, { ...options, serviceName: 'tracker:local' });
    this.layout = store.layout;
  }
}
