import { Limits } from '../../../domain/model/naming-rules';
import type { Metric } from '../../../domain/model/run';
import { envelopeBytes, jsonStringBytes, keyValueBytes, METRIC_FRAME_BYTES, METRIC_NUMBERS_MAX_BYTES, metricBytes } from './log-batch-json';
import type { LogBatch } from '../shared/log-batch';

/**
 * A queued param or tag. Metrics are queued as the caller's Metric object itself (no wrapper).
 *
 * @example queue.pushKeyValue(new KeyValueEntry(false, 'lr', '0.1', keyValueBytes('lr', '0.1')));
 */
export class KeyValueEntry {
  constructor(
    readonly isTag: boolean,
    readonly key: string,
    readonly value: string,
    /** Bytes the entry adds to a request body, measured once at enqueue. */
    readonly bytes: number,
  ) {}
}

export type QueueEntry = Metric | KeyValueEntry;

interface DoneWaiter {
  target: number;
  resolve: () => void;
}

/**
 * One run's FIFO of unsent entries, and the rule that cuts it into `runs/log-batch` requests. A batch
 * is the longest prefix of the queue that stays within MLflow's limits (≤1000 metrics, ≤100 params,
 * ≤100 tags, ≤1000 entities, body < 1,000,000 bytes) and names no param twice (the server rejects a batch
 * that does, even with the same value: a repeat with the same value is folded in, a changed value starts
 * the next batch). Cutting a prefix never reorders the stream.
 *
 * Sequence numbers make flushes exact: `enqueued` counts entries accepted, `cut` entries taken into
 * batches, `done` entries whose batch finished (sent or handed to the undeliverable handler).
 * A partial batch is sent only while `cut < flushTarget`; a full one always is.
 *
 * @example
 * const q = new RunQueue('4f1c…'); q.pushMetric(metric); q.flushTarget = q.enqueued;
 * if (q.hasSendable()) await send(q.runId, q.take().batch);
 */
export class RunQueue {
  items: QueueEntry[] = [];
  head = 0;
  enqueued = 0;
  cut = 0;
  done = 0;
  flushTarget = 0;
  pendingParams = 0;
  pendingTags = 0;
  pendingKeyValueBytes = 0;
  /** A batch of this run is being sent (one at a time per run keeps the order). */
  busy = false;
  /** The run sits in the batcher's ready list. */
  scheduled = false;
  private waiters: DoneWaiter[] = [];
  readonly envelopeBytes: number;

  constructor(readonly runId: string) {
    this.envelopeBytes = envelopeBytes(runId);
  }

  get pending(): number {
    return this.items.length - this.head;
  }

  get hasWaiters(): boolean {
    return this.waiters.length > 0;
  }

  pushMetric(metric: Metric): void {
    this.items.push(metric);
    this.enqueued++;
  }

  pushKeyValue(entry: KeyValueEntry): void {
    this.items.push(entry);
    this.enqueued++;
    if (entry.isTag) this.pendingTags++;
    else this.pendingParams++;
    this.pendingKeyValueBytes += entry.bytes;
  }

  /** True when the queue holds at least one batch's worth by some limit. Metrics' bytes are not tracked: 1000 metrics cannot reach 1 MB. */
  isFull(): boolean {
    return (
      this.pending >= Limits.BATCH_MAX_ENTITIES ||
      this.pendingParams >= Limits.BATCH_MAX_PARAMS ||
      this.pendingTags >= Limits.BATCH_MAX_TAGS ||
      this.envelopeBytes + this.pendingKeyValueBytes >= Limits.BATCH_MAX_BYTES
    );
  }

  hasSendable(): boolean {
    return this.pending > 0 && (this.cut < this.flushTarget || this.isFull());
  }

  /**
   * Removes the next batch (see the class comment for the rule). `entries` counts what left the queue,
   * which can exceed the batch's size when a param repeated with the same value was folded in.
   *
   * Metrics are counted at their largest possible size (numbers at 25 bytes) so their values are not
   * turned into text twice (serializeLogBatch does it once); only when that estimate would cross the
   * limit is the batch so far measured exactly, and from then on every entry, so the cut is exact.
   */
  take(): { batch: LogBatch; entries: number } {
    const metrics: Metric[] = [];
    const params: { key: string; value: string }[] = [];
    const tags: { key: string; value: string }[] = [];
    let bytes = this.envelopeBytes;
    let measured = false; // false: `bytes` may overestimate (metrics counted at their largest)
    let count = 0;
    let lastKey: string | undefined;
    let lastKeyBytes = 0;
    const items = this.items;
    let head = this.head;
    while (head < items.length && count < Limits.BATCH_MAX_ENTITIES) {
      const entry = items[head]!;
      let added: number;
      if (entry instanceof KeyValueEntry) {
        const list = entry.isTag ? tags : params;
        if (list.length >= (entry.isTag ? Limits.BATCH_MAX_TAGS : Limits.BATCH_MAX_PARAMS)) break;
        if (!entry.isTag) {
          const same = params.find((p) => p.key === entry.key);
          if (same !== undefined && same.value !== entry.value) break; // let the server judge the change on its own
          if (same !== undefined) {
            // re-logging the same value is a no-op for MLflow, but a batch may not name a param twice
            this.pendingParams--;
            this.pendingKeyValueBytes -= entry.bytes;
            count++;
            head++;
            continue;
          }
        }
        added = entry.bytes + (list.length > 0 ? 1 : 0);
        if (!measured && bytes + added >= Limits.BATCH_MAX_BYTES) {
          bytes = this.envelopeBytes + exactBytes(metrics, params, tags);
          measured = true;
        }
        // a single entry over the limit still goes, alone: the server's answer then says what is wrong
        if (count > 0 && bytes + added >= Limits.BATCH_MAX_BYTES) break;
        list.push({ key: entry.key, value: entry.value });
        if (entry.isTag) this.pendingTags--;
        else this.pendingParams--;
        this.pendingKeyValueBytes -= entry.bytes;
      } else {
        const comma = metrics.length > 0 ? 1 : 0;
        if (entry.key !== lastKey) {
          lastKey = entry.key;
          lastKeyBytes = jsonStringBytes(entry.key);
        }
        added = METRIC_FRAME_BYTES + lastKeyBytes + METRIC_NUMBERS_MAX_BYTES + comma;
        if (measured || bytes + added >= Limits.BATCH_MAX_BYTES) {
          if (!measured) bytes = this.envelopeBytes + exactBytes(metrics, params, tags);
          measured = true; // near the limit: every entry from here on is measured
          added = metricBytes(entry) + comma;
          if (count > 0 && bytes + added >= Limits.BATCH_MAX_BYTES) break;
        }
        metrics.push(entry);
      }
      bytes += added;
      count++;
      head++;
    }
    this.head = head;
    this.cut += count;
    this.compact();
    return { batch: { metrics, params, tags }, entries: count };
  }

  /** Records that `count` entries finished and wakes the flushes they complete. */
  settle(count: number): void {
    this.done += count;
    if (this.waiters.length === 0) return;
    const still: DoneWaiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.target <= this.done) waiter.resolve();
      else still.push(waiter);
    }
    this.waiters = still;
  }

  /** Resolves once every entry up to sequence number `target` is done. */
  whenDone(target: number): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ target, resolve }));
  }

  /** Drops the consumed prefix: at once when the queue is empty, else when it is most of the array. */
  private compact(): void {
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head >= 4096 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

/** Bytes of the entries of a batch being cut, inside the envelope (separating commas included). */
function exactBytes(metrics: Metric[], params: { key: string; value: string }[], tags: { key: string; value: string }[]): number {
  let total = Math.max(0, metrics.length - 1) + Math.max(0, params.length - 1) + Math.max(0, tags.length - 1);
  for (const m of metrics) total += metricBytes(m);
  for (const kv of params) total += keyValueBytes(kv.key, kv.value);
  for (const kv of tags) total += keyValueBytes(kv.key, kv.value);
  return total;
}
