import { JobInterruptedError } from '../../domain/errors';
import type { RunConfig, RunInfo } from '../../domain/model/run';
import type { ITracker } from '../../domain/ports/tracker';

/**
 * Runs `fn` inside a tracked run: creates the run, ends it FINISHED when `fn` resolves, FAILED when it
 * throws (KILLED when the job was interrupted), then re-throws the original error. A failure to end a
 * failed run is swallowed so it never hides why the run failed; a failure to end a successful run is
 * thrown, because whatever was buffered may not have been delivered.
 *
 * Pass the job's abort `signal`: the moment it aborts (SIGINT/SIGTERM), the run is ended KILLED — first,
 * before `fn` has noticed and before the services stop — so a process cut short right after (a second
 * Ctrl-C exits at once) never leaves the run RUNNING. `fn` still gets to wind down; the run stays KILLED.
 *
 * @example
 * const rmse = await withRun(tracker, { runName: 'training' }, async (run) => {
 *   await tracker.logMetric(run.runId, 'rmse', 0.42);
 *   return 0.42;
 * }, { signal: job.signal });
 */
export async function withRun<T>(
  tracker: ITracker,
  config: RunConfig,
  fn: (run: RunInfo) => Promise<T>,
  options: { signal?: AbortSignal } = {},
): Promise<T> {
  const { signal } = options;
  const run = await tracker.createRun(config);
  let killed: Promise<void> | undefined;
  const kill = (): void => {
    killed ??= tracker.endRun(run.runId, 'KILLED').catch(() => undefined);
  };
  signal?.addEventListener('abort', kill, { once: true });
  if (signal?.aborted) kill();
  let result: T;
  try {
    result = await fn(run);
  } catch (error) {
    // an interrupted job's run is KILLED, whatever error the interruption surfaced as
    if (error instanceof JobInterruptedError || signal?.aborted) kill();
    else await tracker.endRun(run.runId, 'FAILED').catch(() => undefined);
    await killed;
    throw error;
  } finally {
    signal?.removeEventListener('abort', kill);
  }
  // interrupted after the work was done: the run was already ended KILLED; the caller decides what that means
  if (killed) {
    await killed;
    return result;
  }
  await tracker.endRun(run.runId, 'FINISHED');
  return result;
}
