import { JobInterruptedError } from '../../domain/errors';
import type { RunConfig, RunInfo } from '../../domain/model/run';
import type { ITracker } from '../../domain/ports/tracker';

/**
 * Runs `fn` inside a tracked run: creates the run, ends it FINISHED when `fn` resolves, FAILED when it
 * throws (KILLED when the job was interrupted), then re-throws the original error. A failure to end a
 * failed run is swallowed so it never hides why the run failed; a failure to end a successful run is
 * thrown, because whatever was buffered may not have been delivered.
 *
 * Pass the job's abort `signal` so a run interrupted by SIGINT/SIGTERM ends KILLED, never FAILED.
 *
 * @example
 * const rmse = await withRun(tracker, { runName: 'training' }, async (run) => {
 *   await tracker.logMetric(run.runId, 'rmse', 0.42);
 *   return 0.42;
 * });
 */
export async function withRun<T>(
  tracker: ITracker,
  config: RunConfig,
  fn: (run: RunInfo) => Promise<T>,
  options: { signal?: AbortSignal } = {},
): Promise<T> {
  const run = await tracker.createRun(config);
  let result: T;
  try {
    result = await fn(run);
  } catch (error) {
    // an interrupted job's run is KILLED, whatever error the interruption surfaced as
    const status = error instanceof JobInterruptedError || options.signal?.aborted ? 'KILLED' : 'FAILED';
    await tracker.endRun(run.runId, status).catch(() => undefined);
    throw error;
  }
  await tracker.endRun(run.runId, 'FINISHED');
  return result;
}
