import type { ILogger } from '../../../domain/ports/logger';
import type { LogBatch } from '../shared/log-batch';

/**
 * What happens to a batch `send` rejected after its own retries: the first error per run is remembered
 * for the next flush()/close() to throw, with one warning per run. Never throws itself, never drops
 * silently. Spill is not the batcher's business: it is the store layer beneath the batcher, so a batch
 * reaches here only when nothing below could take it. (Overflow is not a failure: it is journaled.)
 *
 * @example
 * const failures = new LogBatchFailures(logger);
 * failures.undeliverable(runId, batch, error);
 * failures.throwRemembered(runId);
 */
export class LogBatchFailures {
  batches = 0;
  entries = 0;
  private readonly remembered = new Map<string, unknown>();
  private firstLoss: unknown;

  constructor(private readonly logger: ILogger | undefined) {}

  /** A batch `send` rejected after its own retries. */
  undeliverable(runId: string, batch: LogBatch, error: unknown): void {
    this.batches++;
    this.entries += batch.metrics.length + batch.params.length + batch.tags.length;
    const line = `Could not deliver ${describe(batch)} to run ${runId}: ${messageOf(error)}`;
    if (!this.remembered.has(runId)) this.logger?.warn(line, { runId });
    else this.logger?.debug(line, { runId });
    this.remember(runId, error);
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

  /**
   * Throws the first delivery failure ever seen, even one a caller already caught from a flush: values
   * were lost, so closing the batcher (the tracker's stop) must fail the job rather than let it pass.
   */
  throwIfAnythingWasLost(): void {
    if (this.firstLoss !== undefined) throw this.firstLoss;
  }

  private remember(runId: string, error: unknown): void {
    if (!this.remembered.has(runId)) this.remembered.set(runId, error);
    this.firstLoss ??= error;
  }
}

function describe(batch: LogBatch): string {
  return `${batch.metrics.length} metrics, ${batch.params.length} params and ${batch.tags.length} tags`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
