import type { ILogger } from '../../../domain/ports/logger';
import type { OverflowJournal } from './log-batch-journal';
import type { QueueEntry } from './log-batch-queue';

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * Routes a run's entries through the on-disk journal once the batcher holds its hard limit, and feeds
 * the journal back into the batcher's queue, in order, as sends make room. While a run has journaled
 * entries, all its new entries go to the journal too, so nothing overtakes them: the server receives
 * every value in the order it was logged, and memory holds at most the queue's bound.
 *
 * @example
 * const overflow = new JournaledOverflow(new OverflowJournal(dir), (runId, entry) => requeueWhenThereIsRoom(runId, entry), logger);
 * if (overflow.isJournaling(runId)) overflow.append(runId, entry);
 * await overflow.idle(); // before a flush
 */
export class JournaledOverflow {
  private readonly journaling = new Set<string>();
  private draining: Promise<void> | undefined;
  private failure: unknown;
  private warned = false;
  journaledEntries = 0;

  constructor(
    private readonly journal: OverflowJournal,
    private readonly admit: (runId: string, entry: QueueEntry) => Promise<void>,
    private readonly logger?: ILogger,
  ) {}

  isJournaling(runId: string): boolean {
    return this.journaling.has(runId);
  }

  /** Journals `entry` synchronously and makes sure the journal is being fed back. */
  append(runId: string, entry: QueueEntry): void {
    if (!this.warned) {
      this.warned = true;
      this.logger?.warn(
        `Logging to run ${runId} outpaces the tracking server; entries past the in-memory bound are journaled to disk and sent in order as the server catches up. Await logMetric/logParam/setTag to keep pace instead.`,
        { runId },
      );
    }
    this.journal.append(runId, entry);
    this.journaledEntries++;
    this.journaling.add(runId);
    this.draining ??= this.feedBack();
  }

  /** Resolves when every journaled entry is back in the queue; throws if reading the journal failed. */
  async idle(): Promise<void> {
    await (this.draining ?? RESOLVED);
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      throw failure;
    }
  }

  private async feedBack(): Promise<void> {
    try {
      while (this.journaling.size > 0) {
        for (const runId of [...this.journaling]) {
          await this.journal.drain(runId, async (entries) => {
            for (const entry of entries) await this.admit(runId, entry);
          });
          // checked in the same tick the drain ends: a producer cannot slip an entry in between
          if (this.journal.isEmpty(runId)) this.journaling.delete(runId);
        }
      }
      this.warned = false;
    } catch (error) {
      this.failure ??= error;
      this.logger?.error(`Could not read back the overflow journal: ${error instanceof Error ? error.message : String(error)}`);
      this.journaling.clear();
    } finally {
      this.draining = undefined;
    }
  }
}
