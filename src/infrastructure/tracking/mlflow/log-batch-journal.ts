import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { KeyValueEntry, type QueueEntry } from './log-batch-queue';
import type { LogBatch } from './log-batcher';
import { fromWireNumber, toWireNumber } from './wire-json';

/** Lines per synchronous write, and entries per batch when the journal is read back. */
const CHUNK = 1000;

/**
 * Where entries refused past the batcher's hard limit go when a caller logs faster than the server takes
 * and never awaits: one JSON line per entry, appended SYNCHRONOUSLY to `<dir>/<runId>.ndjson` every
 * 1,000 entries. The synchronous write is the point: it is the only brake a producer that never yields
 * to the event loop can feel, so memory stays flat at any logging rate, and nothing is dropped. The
 * journal is read back in batches of 1,000 and handed to the undeliverable handler (the spill store) on
 * flush/close, then deleted.
 *
 * @example
 * const journal = new OverflowJournal('./mlruns-spill/.overflow');
 * journal.append(runId, metric);               // sync; writes every 1,000 entries
 * await journal.drain(undefined, (runId, batch) => spill(runId, batch));
 */
export class OverflowJournal {
  private readonly buffers = new Map<string, string[]>();
  private drains = 0;

  constructor(private readonly dir: string) {}

  append(runId: string, entry: QueueEntry): void {
    let buffer = this.buffers.get(runId);
    if (buffer === undefined) {
      buffer = [];
      this.buffers.set(runId, buffer);
    }
    buffer.push(encode(entry));
    if (buffer.length >= CHUNK) this.writeOut(runId);
  }

  /** Hands every journaled entry (of one run, or all) to `deliver`, 1,000 at a time, in order. */
  async drain(runId: string | undefined, deliver: (runId: string, batch: LogBatch) => Promise<void>): Promise<void> {
    const runIds = runId === undefined ? [...this.buffers.keys()] : this.buffers.has(runId) ? [runId] : [];
    for (const id of runIds) {
      this.writeOut(id);
      this.buffers.delete(id);
      const file = this.file(id);
      if (!existsSync(file)) continue;
      // new overflow starts a new file while this one is read
      const draining = `${file}.${process.pid}.${++this.drains}.draining`;
      await rename(file, draining);
      let batch = emptyBatch();
      let count = 0;
      for await (const line of readLines(draining)) {
        decodeInto(batch, line);
        if (++count >= CHUNK) {
          await deliver(id, batch);
          batch = emptyBatch();
          count = 0;
        }
      }
      if (count > 0) await deliver(id, batch);
      await unlink(draining);
    }
  }

  private writeOut(runId: string): void {
    const buffer = this.buffers.get(runId);
    if (!buffer || buffer.length === 0) return;
    mkdirSync(this.dir, { recursive: true });
    appendFileSync(this.file(runId), `${buffer.join('\n')}\n`);
    buffer.length = 0;
  }

  private file(runId: string): string {
    return path.join(this.dir, `${runId}.ndjson`);
  }
}

/**
 * The file's lines, read 256 KiB at a time. Hand-rolled rather than readline: readline keeps reading
 * ahead while the consumer awaits, so a slow consumer would pull the whole journal into memory.
 */
async function* readLines(file: string): AsyncGenerator<string> {
  const handle = await open(file, 'r');
  try {
    const chunk = Buffer.alloc(256 * 1024);
    const decoder = new StringDecoder('utf8'); // a character split across two reads stays whole
    let carry = '';
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      const lines = (carry + decoder.write(chunk.subarray(0, bytesRead))).split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) if (line.length > 0) yield line;
    }
    carry += decoder.end();
    if (carry.length > 0) yield carry;
  } finally {
    await handle.close();
  }
}

function encode(entry: QueueEntry): string {
  if (entry instanceof KeyValueEntry) return JSON.stringify([entry.isTag ? 't' : 'p', entry.key, entry.value]);
  return JSON.stringify(['m', entry.key, toWireNumber(entry.value), entry.timestamp, entry.step]);
}

function decodeInto(batch: LogBatch, line: string): void {
  const [kind, key, value, timestamp, step] = JSON.parse(line) as [string, string, string | number, number, number];
  if (kind === 'm') batch.metrics.push({ key, value: fromWireNumber(value), timestamp, step });
  else (kind === 't' ? batch.tags : batch.params).push({ key, value: String(value) });
}

function emptyBatch(): LogBatch {
  return { metrics: [], params: [], tags: [] };
}
