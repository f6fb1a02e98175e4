import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ILogger } from '../../../domain/ports/logger';
import { OverflowJournal } from './log-batch-journal';
import type { QueueEntry } from './log-batch-queue';

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * The batcher's one overflow policy: past its hard limit a run's entries go to the on-disk journal
 * (log-batch-journal.ts) and are fed back into the batcher's queue, in order, as sends make room. While
 * a run has journaled entries all its new entries go to the journal too, so nothing overtakes them: the
 * server receives every value in the order it was logged, and memory holds at most the queue's bound.
 *
 * The journal lives in `dir` when given (the spill wiring passes `<spillDir>/.overflow`), else in a
 * private directory under os.tmpdir(), made on the first overflow and removed by `dispose()`.
 *
 * @example
 * const overflow = new JournaledOverflow(undefined, (runId, entry) => requeueWhenThereIsRoom(runId, entry), logger);
 * if (overflow.isJournaling(runId)) overflow.append(runId, entry);
 * await overflow.idle(); // before a flush
 * overflow.dispose();    // at close
 */
export class JournaledOverflow {
  private readonly journaling = new Set<string>();
  private journal: OverflowJournal | undefined;
  private privateDir: string | undefined;
  private draining: Promise<void> | undefined;
  private failure: unknown;
  private warned = false;
  private writeErrorLogged = false;
  journaledEntries = 0;

  constructor(
    private readonly dir: string | undefined,
    private readonly admit: (runId: string, entry: QueueEntry) => Promise<void>,
    private readonly logger?: ILogger,
  ) {}

  /** True while any run has journaled entries (the batcher's hot path checks this first). */
  get active(): boolean {
    return this.journaling.size > 0;
  }

  isJournaling(runId: string): boolean {
    return this.journaling.has(runId);
  }

  /** Journals `entry` synchronously and makes sure the journal is being fed back. */
  append(runId: string, entry: QueueEntry): void {
    this.journal ??= new OverflowJournal(this.dir ?? this.makePrivateDir(), (error) => this.writeFailed(error));
    if (!this.warned) {
      this.warned = true;
      this.logger?.warn(
        `Logging to run ${runId} outpaces the tracking server; entries past the in-memory bound are journaled to disk (${this.journal.dir}) and sent in order as the server catches up. Await logMetric/logParam/setTag to keep pace instead.`,
        { runId },
      );
    }
    this.journal.append(runId, entry);
    this.journaledEntries++;
    this.journaling.add(runId);
    this.draining ??= this.feedBack(this.journal);
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

  /** Removes the private directory (a given `dir` stays: its journal files are deleted as they are fed back). */
  dispose(): void {
    if (this.privateDir !== undefined) rmSync(this.privateDir, { recursive: true, force: true });
    this.privateDir = undefined;
    this.journal = undefined;
  }

  /** A private journal directory; when none can be made, a path whose writes fail, so entries are held in memory (writeFailed). */
  private makePrivateDir(): string {
    try {
      this.privateDir = mkdtempSync(path.join(os.tmpdir(), 'mlops-kit-overflow-'));
      return this.privateDir;
    } catch (error) {
      this.writeFailed(error);
      return path.join(os.tmpdir(), `mlops-kit-overflow-unavailable-${process.pid}`);
    }
  }

  private writeFailed(error: unknown): void {
    if (this.writeErrorLogged) return;
    this.writeErrorLogged = true;
    this.logger?.error(`Cannot write the overflow journal in ${this.journal?.dir ?? this.dir}: ${messageOf(error)}; holding the entries in memory instead.`);
  }

  private async feedBack(journal: OverflowJournal): Promise<void> {
    try {
      while (this.journaling.size > 0) {
        for (const runId of [...this.journaling]) {
          await journal.drainSome(runId, async (entries) => {
            for (const entry of entries) await this.admit(runId, entry);
          });
          // checked in the same tick the drain ends: a producer cannot slip an entry in between
          if (journal.isEmpty(runId)) this.journaling.delete(runId);
        }
      }
      this.warned = false;
      this.writeErrorLogged = false;
    } catch (error) {
      this.failure ??= error;
      this.logger?.error(`Could not read back the overflow journal in ${journal.dir}: ${messageOf(error)}`);
      this.journaling.clear();
    } finally {
      this.draining = undefined;
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
