import type { ILogger } from '../../../domain/ports/logger';
import { KeyValueEntry, type QueueEntry } from './log-batch-queue';
import type { LogBatch } from '../shared/log-batch';

export type UndeliverableHandler = (runId: string, batch: LogBatch, error: unknown) => Promise<void>;

interface OverflowBatch {
  batch: LogBatch;
  count: number;
  error: unknown;
}

/** Overflow entries gathered per run are handed over in batches of this size (or on the next tick/flush). */
const OVERFLOW_BATCH = 1000;

/**
 * Where the batcher's failures go: batches `send` gave up on and entries refused past the hard limit
 * are handed to the user's `onUndeliverable`; without one (or when it fails too) the first error per
 * run is remembered for the next flush()/close() to throw. Never throws itself, never drops silently.
 *
 * @example
 * const failures = new LogBatchFailures(spillToDisk, logger);
 * await failures.undeliverable(runId, batch, error);
 * await failures.settle(); failures.throwRemembered();
 */
export class LogBatchFailures {
  batches = 0;
  entries = 0;
  overflowEntries = 0;
  private readonly remembered = new Map<string, unknown>();
  private firstLoss: unknown;
  private readonly inProgress = new Set<Promise<void>>();
  private readonly overflowBatches = new Map<string, OverflowBatch>();
  private overflowWarned = false;
  private handOverTimer: NodeJS.Immediate | undefined;

  constructor(
    private readonly handler: UndeliverableHandler | undefined,
    private readonly logger: ILogger | undefined,
  ) {}

  /** A batch `send` rejected after its own retries. */
  async undeliverable(runId: string, batch: LogBatch, error: unknown): Promise<void> {
    this.batches++;
    this.entries += batch.metrics.length + batch.params.length + batch.tags.length;
    // a handler (the spill) reports what it took once, at stop; without one, the first loss per run is worth a warning
    const firstForRun = this.handler === undefined && !this.remembered.has(runId);
    const line = `Could not deliver ${describe(batch)} to run ${runId}: ${messageOf(error)}`;
    if (firstForRun) this.logger?.warn(line, { runId });
    else this.logger?.debug(line, { runId });
    await this.handOver(runId, batch, error);
  }

  /** An entry refused because the hard limit was reached: gathered, then handed over as a batch. */
  overflow(runId: string, entry: QueueEntry, makeError: () => Error): void {
    this.overflowEntries++;
    this.entries++;
    let pending = this.overflowBatches.get(runId);
    if (pending === undefined) {
      pending = { batch: { metrics: [], params: [], tags: [] }, count: 0, error: makeError() };
      this.overflowBatches.set(runId, pending);
    }
    if (entry instanceof KeyValueEntry) (entry.isTag ? pending.batch.tags : pending.batch.params).push({ key: entry.key, value: entry.value });
    else pending.batch.metrics.push(entry);
    pending.count++;
    if (!this.overflowWarned) {
      this.overflowWarned = true;
      this.logger?.warn(messageOf(pending.error), { runId });
    }
    if (pending.count >= OVERFLOW_BATCH) {
      this.overflowBatches.delete(runId);
      this.startHandOver(runId, pending);
    } else if (this.handOverTimer === undefined) {
      this.handOverTimer = setImmediate(() => {
        this.handOverTimer = undefined;
        this.handOverOverflow();
      });
      this.handOverTimer.unref();
    }
  }

  /** There is room again: the next overflow warns again. */
  endOverflowEpisode(): void {
    this.overflowWarned = false;
  }

  /** Hands over the overflow gathered so far (for one run, or all). */
  handOverOverflow(runId?: string): void {
    for (const [id, pending] of [...this.overflowBatches]) {
      if (runId !== undefined && id !== runId) continue;
      this.overflowBatches.delete(id);
      this.startHandOver(id, pending);
    }
  }

  /** Resolves when every handler call started so far (and the overflow gathered so far) is done. */
  async settle(runId?: string): Promise<void> {
    this.handOverOverflow(runId);
    await Promise.all([...this.inProgress]);
  }

  /** Throws (and forgets) the remembered error of `runId`, or the first remembered one of any run. */
  throwRemembered(runId?: string): void {
    if (runId !== undefined) {
      if (!this.remembered.has(runId)) return;
      const error = this.remembered.get(runId);
      this.remembered.delete(runId);
      throw error;
    }
    if (this.remembered.size === 0) return;
    const first = this.remembered.values().next().value;
    this.remembered.clear();
    throw first;
  }

  private startHandOver(runId: string, pending: OverflowBatch): void {
    this.batches++;
    const call = this.handOver(runId, pending.batch, pending.error);
    this.inProgress.add(call);
    void call.finally(() => this.inProgress.delete(call));
  }

  private async handOver(runId: string, batch: LogBatch, error: unknown): Promise<void> {
    if (this.handler === undefined) {
      this.remember(runId, error);
      return;
    }
    try {
      await this.handler(runId, batch, error);
    } catch (handlerError) {
      this.logger?.error(`The undeliverable-batch handler failed for run ${runId} (${describe(batch)} lost): ${messageOf(handlerError)}`, { runId });
      this.remember(runId, handlerError);
    }
  }

  private remember(runId: string, error: unknown): void {
    if (!this.remembered.has(runId)) this.remembered.set(runId, error);
    this.firstLoss ??= error;
  }

  /**
   * Throws the first delivery failure ever seen, even one a caller already caught from a flush: values
   * were lost, so closing the batcher (the tracker's stop) must fail the job rather than let it pass.
   */
  throwIfAnythingWasLost(): void {
    if (this.firstLoss !== undefined) throw this.firstLoss;
  }
}

function describe(batch: LogBatch): string {
  return `${batch.metrics.length} metrics, ${batch.params.length} params and ${batch.tags.length} tags`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
