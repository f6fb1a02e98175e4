import { AsyncLocalStorage } from 'node:async_hooks';
import type { Container } from 'inversify';
import type { ILogger } from '../../domain/ports/logger';
import type { ITracker } from '../../domain/ports/tracker';
import type { RunConfig, RunInfo } from '../../domain/model/run';
import { TYPES } from '../../domain/tokens';

/** The tag every run created for a queue job carries: `<queue>/<job id>`. */
export const QUEUE_JOB_TAG = 'mlops.queue.job';

/** What the worker knows about the queue job a piece of async work belongs to. */
export interface QueueJobScope {
  /** `<queue>/<job id>`, written as the QUEUE_JOB_TAG of every run the job creates. */
  ref: string;
  /** Durably notes a run id for this queue job (in the job's BullMQ log), before the job's work goes on. */
  record(runId: string): Promise<void>;
}

const scopes = new AsyncLocalStorage<QueueJobScope>();

/** Runs `work` with every run it creates marked as belonging to `scope`. */
export function inQueueJob<T>(scope: QueueJobScope, work: () => Promise<T>): Promise<T> {
  return scopes.run(scope, work);
}

/**
 * Makes the container's tracker mark runs created inside `inQueueJob`: a QUEUE_JOB_TAG tag, and the run id
 * recorded with the queue job. That record is how a re-run after a worker died finds the runs the dead
 * worker left RUNNING (see `endStaleRuns`). Call before anything resolves the tracker (inversify runs
 * activation hooks on first resolve); a tracker resolved earlier is left as it is.
 *
 * @example markQueueRuns(container); const runtime = createRuntime(container);
 */
export function markQueueRuns(container: Container): void {
  container.onActivation<ITracker>(TYPES.Tracker, (_context, tracker) => markingTracker(tracker));
}

function markingTracker(tracker: ITracker): ITracker {
  const createRun = async (config: RunConfig = {}): Promise<RunInfo> => {
    const scope = scopes.getStore();
    if (scope === undefined) return tracker.createRun(config);
    const info = await tracker.createRun({ ...config, tags: { ...config.tags, [QUEUE_JOB_TAG]: scope.ref } });
    await scope.record(info.runId);
    return info;
  };
  // everything else goes to the tracker itself (bound, so adapters keep their private state)
  return new Proxy(tracker, {
    get(target, property) {
      if (property === 'createRun') return createRun;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Ends the runs an earlier attempt of a queue job left RUNNING (its worker was killed: nobody else will end
 * them) as KILLED. Best effort per run: a run that cannot be read or ended is logged and skipped.
 *
 * @example await endStaleRuns(tracker, await recordedRuns(jobId), logger);
 */
export async function endStaleRuns(tracker: ITracker, runIds: readonly string[], logger: ILogger): Promise<string[]> {
  const ended: string[] = [];
  for (const runId of runIds) {
    try {
      const run = await tracker.getRun(runId);
      if (run.info.status !== 'RUNNING') continue;
      await tracker.endRun(runId, 'KILLED');
      ended.push(runId);
    } catch (error) {
      logger.warn(`Could not end run ${runId} left by an abandoned attempt: ${error instanceof Error ? error.message : String(error)}`, { runId });
    }
  }
  if (ended.length > 0) logger.warn(`Ended ${ended.length} run(s) left RUNNING by an abandoned attempt as KILLED`, { runIds: ended });
  return ended;
}
