import { TrackingClient } from '../client/tracking-client';
import { NoOpTrackingStore } from './noop-tracking-store';

/**
 * ITracker that records nothing: for jobs run with `tracking.uri: noop` (dry runs, benchmarks). The
 * TrackingClient over a NoOpTrackingStore: calls are checked as on every backend (so a dry run finds a
 * bad key the real run would hit) and return well-formed values (32-hex run ids, an empty run for
 * `getRun`), and nothing is stored, so `stop()` has no run to mark KILLED.
 *
 * @example
 * const tracker = new NoOpTracker();
 * const run = await tracker.createRun({ runName: 'dry-run' });
 * await tracker.logMetric(run.runId, 'rmse', 0.4); // discarded
 */
export class NoOpTracker extends TrackingClient {
  constructor(options: { clock?: () => number } = {}) {
    super(new NoOpTrackingStore(options.clock), { clock: options.clock, killOpenRunsOnStop: false, serviceName: 'tracker:noop' });
  }
}
