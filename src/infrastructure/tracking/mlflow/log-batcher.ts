/**
 * Non-blocking, batched delivery of metrics, params and tags to `runs/log-batch`.
 *
 * How it sends. Each run has a FIFO queue (log-batch-queue.ts) cut into batches within MLflow's limits
 * (≤1000 metrics, ≤100 params, ≤100 tags, ≤1000 entities, body < 1,000,000 bytes measured exactly as
 * sent: log-batch-json.ts). A run sends one batch at a time, so its stream keeps its order; different
 * runs send in parallel, at most `maxConcurrentSends` (4) batches in flight, taking turns. A batch goes
 * out as soon as it is full, else after `flushIntervalMs` (DEFAULT 200 ms: long enough that a training
 * loop logging a few values per step fills real batches, short enough that the UI looks live), on
 * `flush(runId?)` and on `close()`. The one timer is `unref()`ed and armed only while something waits.
 *
 * Backpressure and overflow, one policy. `maxQueuedEntries` (10,000) bounds the entries held in memory
 * across all runs (queued + in flight): one bound, because memory is what it protects. Below it,
 * `enqueue*` returns one shared resolved promise (no allocation besides the caller's entry). The call
 * that fills the bound is still accepted but returns a shared "room" promise that resolves once sends
 * bring the count below the bound (reaching the bound also sends every partial batch at once), so a
 * caller that awaits never holds more than the bound. A caller that does not await keeps being accepted
 * into the same FIFO up to a hard limit of 10 × the bound (a few MB of metrics); past it entries are
 * ALWAYS journaled to disk, synchronously (the only brake a producer that never awaits feels), and fed
 * back into the queue in order as sends make room (log-batch-overflow.ts, log-batch-journal.ts). So the
 * server still gets everything, in order, and memory stays flat. The journal lives in
 * `overflowJournalDir`, else in a private directory under os.tmpdir() made on the first overflow and
 * removed by close(). Nothing is ever refused for being too much.
 *
 * Failures. `send` does its own retries; when it still rejects, the first error per run is kept and
 * thrown by the next `flush()` (that run's, or any) or `close()` (log-batch-failures.ts). Spill is the
 * store layer beneath the batcher, so with `onUnavailable: spill` a send does not fail for an outage.
 */
import { Limits } from '../../../domain/model/naming-rules';
import type { Metric } from '../../../domain/model/run';
import type { ILogger } from '../../../domain/ports/logger';
import { keyValueBytes } from './log-batch-json';
import { LogBatchFailures } from './log-batch-failures';
import { JournaledOverflow } from './log-batch-overflow';
import type { LogBatch } from '../shared/log-batch';
import { KeyValueEntry, RunQueue, type QueueEntry } from './log-batch-queue';

export interface LogBatcherOptions {
  send(runId: string, batch: LogBatch): Promise<void>;
  flushIntervalMs?: number;
  /** Backpressure bound on entries held in memory across all runs (default 10,000); 10 × it is the hard limit. */
  maxQueuedEntries?: number;
  logger?: ILogger;
  /** Batches in flight at once across runs (default 4). */
  maxConcurrentSends?: number;
  /** Where entries past the hard limit are journaled (default: a private directory under os.tmpdir(), removed by close()). */
  overflowJournalDir?: string;
}

/** What the batcher has done so far, for logs and metrics of the tool itself. */
export interface LogBatcherCounters {
  sentBatches: number;
  sentMetrics: number;
  sentParams: number;
  sentTags: number;
  /** Entries held in memory now: queued or in flight. */
  queued: number;
  /** The most entries ever held at once. */
  peakQueued: number;
  /** Batches being sent now. */
  inFlight: number;
  /** Batches `send` gave up on (remembered as failed, thrown by the next flush). */
  undeliverableBatches: number;
  undeliverableEntries: number;
  /** Entries journaled to disk because the hard limit was held (all of them are fed back and sent). */
  overflowEntries: number;
}

export const DEFAULT_FLUSH_INTERVAL_MS = 200;
export const DEFAULT_MAX_QUEUED_ENTRIES = 10_000;
export const DEFAULT_MAX_CONCURRENT_SENDS = 4;
/** Entries held in memory (by callers that do not await) before the journal takes the rest: × maxQueuedEntries. */
export const HARD_LIMIT_FACTOR = 10;

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * Queues log entries per run and sends them as `runs/log-batch` requests in the background (see the
 * file comment for the rules and the backpressure decision).
 *
 * @example
 * const batcher = new LogBatcher({ send: (runId, batch) => client.request('POST', 'runs/log-batch', { body: logBatchBody(runId, batch) }) });
 * await batcher.enqueueMetric(runId, { key: 'loss', value: 0.3, timestamp: Date.now(), step: 1 });
 * await batcher.flush(runId);
 * await batcher.close();
 */
export class LogBatcher {
  private readonly runs = new Map<string, RunQueue>();
  private lastRunId: string | undefined;
  private lastQueue: RunQueue | undefined;
  private readonly ready: RunQueue[] = [];
  private readonly intervalMs: number;
  private readonly maxQueued: number;
  private readonly hardLimit: number;
  private readonly maxInFlight: number;
  private readonly failures: LogBatchFailures;
  private readonly overflow: JournaledOverflow;
  private timer: NodeJS.Timeout | undefined;
  private room: Promise<void> | undefined;
  private openRoom: (() => void) | undefined;
  private closing: Promise<void> | undefined;
  private held = 0;
  private peak = 0;
  private inFlight = 0;
  private sentBatches = 0;
  private sentMetrics = 0;
  private sentParams = 0;
  private sentTags = 0;

  constructor(private readonly options: LogBatcherOptions) {
    this.intervalMs = Math.max(0, options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS);
    this.maxQueued = Math.max(1, options.maxQueuedEntries ?? DEFAULT_MAX_QUEUED_ENTRIES);
    this.hardLimit = this.maxQueued * HARD_LIMIT_FACTOR;
    this.maxInFlight = Math.max(1, options.maxConcurrentSends ?? DEFAULT_MAX_CONCURRENT_SENDS);
    this.failures = new LogBatchFailures(options.logger);
    this.overflow = new JournaledOverflow(options.overflowJournalDir, (runId, entry) => this.admit(runId, entry), options.logger);
  }

  /** Queues one metric value. Resolves at once while below the bound, else when there is room again. */
  enqueueMetric(runId: string, metric: Metric): Promise<void> {
    if (this.held >= this.hardLimit || this.closing !== undefined || this.overflow.active) return this.slowPath(runId, metric);
    const queue = runId === this.lastRunId ? this.lastQueue! : this.queueFor(runId);
    queue.pushMetric(metric);
    return this.accepted(queue, queue.pending >= Limits.BATCH_MAX_ENTITIES);
  }

  enqueueParam(runId: string, key: string, value: string): Promise<void> {
    return this.enqueueKeyValue(runId, new KeyValueEntry(false, key, value, keyValueBytes(key, value)));
  }

  enqueueTag(runId: string, key: string, value: string): Promise<void> {
    return this.enqueueKeyValue(runId, new KeyValueEntry(true, key, value, keyValueBytes(key, value)));
  }

  /** Resolves when everything enqueued before the call (to `runId`, or to any run; journaled entries included) is sent or handed over. */
  async flush(runId?: string): Promise<void> {
    await this.overflow.idle();
    const queues = runId === undefined ? [...this.runs.values()] : [this.runs.get(runId)].filter((q) => q !== undefined);
    await Promise.all(queues.map((queue) => this.drain(queue)));
    this.failures.throwRemembered(runId);
  }

  /** Flushes everything, removes the private journal directory, then refuses new entries. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.flush().then(() => this.failures.throwIfAnythingWasLost()).finally(() => {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      this.overflow.dispose();
    });
    return this.closing;
  }

  get counters(): LogBatcherCounters {
    return {
      sentBatches: this.sentBatches,
      sentMetrics: this.sentMetrics,
      sentParams: this.sentParams,
      sentTags: this.sentTags,
      queued: this.held,
      peakQueued: this.peak,
      inFlight: this.inFlight,
      undeliverableBatches: this.failures.batches,
      undeliverableEntries: this.failures.entries,
      overflowEntries: this.overflow.journaledEntries,
    };
  }

  private enqueueKeyValue(runId: string, entry: KeyValueEntry): Promise<void> {
    if (this.held >= this.hardLimit || this.closing !== undefined || this.overflow.active) return this.slowPath(runId, entry);
    return this.push(runId, entry);
  }

  /** Bookkeeping shared by every accepted entry; the hot path, so no allocation unless the bound is hit. */
  private accepted(queue: RunQueue, full: boolean): Promise<void> {
    if (++this.held > this.peak) this.peak = this.held;
    if (full) this.schedule(queue);
    if (this.timer === undefined) {
      this.timer = setTimeout(this.tick, this.intervalMs);
      this.timer.unref();
    }
    return this.held < this.maxQueued ? RESOLVED : this.waitForRoom();
  }

  private queueFor(runId: string): RunQueue {
    let queue = this.runs.get(runId);
    if (queue === undefined) {
      queue = new RunQueue(runId);
      this.runs.set(runId, queue);
    }
    this.lastRunId = runId;
    this.lastQueue = queue;
    return queue;
  }

  /** Closed, past the hard limit, or some run is journaling: refuse, journal, or queue as usual. */
  private slowPath(runId: string, entry: QueueEntry): Promise<void> {
    if (this.closing !== undefined) {
      const refused = Promise.reject(new Error(`LogBatcher is closed: cannot log to run ${runId} after the tracker stopped.`));
      // an awaiting caller still sees the rejection; a fire-and-forget one must not crash the process with it
      refused.catch(() => undefined);
      return refused;
    }
    if (this.held >= this.hardLimit || this.overflow.isJournaling(runId)) {
      this.overflow.append(runId, entry);
      return this.held < this.maxQueued ? RESOLVED : this.waitForRoom();
    }
    return this.push(runId, entry);
  }

  /** Puts a journaled entry back in its run's queue, waiting for room first (the journal's feed-back). */
  private async admit(runId: string, entry: QueueEntry): Promise<void> {
    while (this.held >= this.maxQueued) await this.waitForRoom();
    void this.push(runId, entry);
  }

  private push(runId: string, entry: QueueEntry): Promise<void> {
    const queue = runId === this.lastRunId ? this.lastQueue! : this.queueFor(runId);
    if (entry instanceof KeyValueEntry) {
      queue.pushKeyValue(entry);
      return this.accepted(queue, queue.isFull());
    }
    queue.pushMetric(entry);
    return this.accepted(queue, queue.pending >= Limits.BATCH_MAX_ENTITIES);
  }

  private waitForRoom(): Promise<void> {
    if (this.room === undefined) {
      this.room = new Promise((resolve) => (this.openRoom = resolve));
      this.requestAll(); // a full queue should drain now, not at the next tick
    }
    return this.room;
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    this.requestAll();
  };

  /** Marks everything queued so far as due and starts sending it. */
  private requestAll(): void {
    for (const queue of this.runs.values()) {
      if (queue.pending === 0) continue;
      queue.flushTarget = queue.enqueued;
      this.schedule(queue);
    }
  }

  private drain(queue: RunQueue): Promise<void> {
    const target = queue.enqueued;
    if (queue.done >= target) return RESOLVED;
    queue.flushTarget = Math.max(queue.flushTarget, target);
    const done = queue.whenDone(target);
    this.schedule(queue);
    return done;
  }

  private schedule(queue: RunQueue): void {
    if (!queue.scheduled && !queue.busy) {
      queue.scheduled = true;
      this.ready.push(queue);
    }
    this.pump();
  }

  /** Starts sends while there are free slots; runs take turns (a run goes to the back after each batch). */
  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.ready.length > 0) {
      const queue = this.ready.shift()!;
      queue.scheduled = false;
      if (!queue.hasSendable()) continue;
      const { batch, entries } = queue.take();
      queue.busy = true;
      this.inFlight++;
      void this.deliver(queue, batch, entries);
    }
  }

  private async deliver(queue: RunQueue, batch: LogBatch, entries: number): Promise<void> {
    try {
      await this.options.send(queue.runId, batch);
      this.sentBatches++;
      this.sentMetrics += batch.metrics.length;
      this.sentParams += batch.params.length;
      this.sentTags += batch.tags.length;
    } catch (error) {
      this.failures.undeliverable(queue.runId, batch, error);
    }
    this.inFlight--;
    queue.busy = false;
    queue.settle(entries);
    this.release(entries);
    if (queue.hasSendable()) {
      queue.scheduled = true;
      this.ready.push(queue);
    } else if (queue.pending === 0 && !queue.hasWaiters && !queue.scheduled) {
      this.forget(queue);
    }
    this.pump();
    // still at the bound with nothing in flight: send the partial batches now, or a caller waiting for room waits for the tick
    if (this.room !== undefined && this.inFlight === 0) this.requestAll();
  }

  private release(entries: number): void {
    this.held -= entries;
    if (this.room !== undefined && this.held < this.maxQueued) {
      const open = this.openRoom!;
      this.room = undefined;
      this.openRoom = undefined;
      open();
    }
  }

  private forget(queue: RunQueue): void {
    this.runs.delete(queue.runId);
    if (this.lastQueue === queue) {
      this.lastRunId = undefined;
      this.lastQueue = undefined;
    }
  }
}
