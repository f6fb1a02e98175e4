import { ErrorCodes, ValidationError } from '../../../domain/errors';
import { RUN_STATUSES, isTerminalStatus, type RunStatus } from '../../../domain/model/run';
import type { ILogger } from '../../../domain/ports/logger';
import type { TrackingStore } from './tracking-store';

/**
 * The terminal-status rule the TrackingClient applies in `endRun`: FINISHED, FAILED or KILLED, nothing else.
 *
 * @example assertTerminalStatus(runId, status); // throws ValidationError for 'RUNNING' or 'DONE'
 */
export function assertTerminalStatus(runId: string, status: RunStatus): void {
  if (RUN_STATUSES.includes(status) && isTerminalStatus(status)) return;
  throw new ValidationError(`endRun needs a terminal status (FINISHED, FAILED or KILLED), got ${JSON.stringify(status)}.`, ErrorCodes.VALIDATION, {
    details: { runId, status: String(status) },
  });
}

/**
 * Kill-on-stop, the one rule (applied by the TrackingClient): runs a client opened and nobody ended are marked KILLED when it stops, one
 * warning per run, every run attempted even when one fails. The caller decided how an ended run ends:
 * `ended()` takes it out, so stop never overwrites that.
 *
 * @example
 * const open = new OpenRuns();
 * open.add(run.runId);
 * await open.killAll((runId) => killIfRunning(runId), logger); // first error, if any
 */
export class OpenRuns {
  private readonly ids = new Set<string>();

  add(runId: string): void {
    this.ids.add(runId);
  }

  ended(runId: string): void {
    this.ids.delete(runId);
  }

  /** Forgets every run without killing it (a client that does not kill on stop). */
  clear(): void {
    this.ids.clear();
  }

  /**
   * Calls `kill` for each open run (it answers whether the run was still running and is now KILLED),
   * forgets them all, and returns the first error (or undefined). `stopEarly(error)` ends the loop: a
   * server that is down cannot be told about the others either.
   */
  async killAll(kill: (runId: string) => Promise<boolean>, logger?: ILogger, stopEarly: (error: unknown) => boolean = () => false): Promise<unknown> {
    let firstError: unknown;
    const ids = [...this.ids];
    this.ids.clear();
    for (const runId of ids) {
      try {
        if (await kill(runId)) logger?.warn(`Run ${runId} was still running when the tracker stopped: marked KILLED`, { runId });
      } catch (error) {
        firstError ??= error;
        if (stopEarly(error)) break;
      }
    }
    return firstError;
  }
}

/**
 * Kill-on-stop for one run: only a run that is still RUNNING (another client may have ended it) becomes
 * KILLED at `now`; answers whether it did.
 *
 * @example await open.killAll((runId) => killIfRunning(store, runId, Date.now()), logger);
 */
export async function killIfRunning(store: TrackingStore, runId: string, now: number): Promise<boolean> {
  if ((await store.getRun(runId)).info.status !== 'RUNNING') return false;
  await store.updateRun(runId, { status: 'KILLED', endTime: now });
  return true;
}
