import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { KeyValueEntry, type QueueEntry } from './log-batch-queue';
import { keyValueBytes } from './log-batch-json';
import { fromWireNumber, toWireNumber } from './wire-json';

/** Lines per synchronous write, and entries per batch when the journal is read back. */
const CHUNK = 1000;

/**
 * A disk extension of the batcher's queue for callers that log faster than the server takes and never
 * await: one JSON line per entry, appended SYNCHRONOUSLY to `<dir>/<runId>.ndjson` every 1,000 entries.
 * The synchronous write is the point: it is the only brake a producer that never yields to the event
 * loop can feel, so memory stays flat at any logging rate. The journal is read back in order, 1,000
 * entries at a time, as the queue has room (log-batch-overflow.ts), then deleted.
 *
 * @example
 * const journal = new OverflowJournal('./mlruns-spill/.overflow');
 * journal.append(runId, metric);               // sync; writes every 1,000 entries
 * await journal.drain(runId, (entries) => admitToQueue(entries));
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
    if (buffer.length < CHUNK) return;
    try {
      this.writeOut(runId);
    } catch (error) {
      buffer.pop(); // the caller falls back for this entry; the rest stay buffered for the next write
      throw error;
    }
  }

  /** True when nothing of `runId` waits in memory or on disk. */
  isEmpty(runId: string): boolean {
    return (this.buffers.get(runId)?.length ?? 0) === 0 && !existsSync(this.file(runId));
  }

  /** Hands every journaled entry of `runId` written so far to `deliver`, 1,000 at a time, in order. */
  async drain(runId: string, deliver: (entries: QueueEntry[]) => Promise<void>): Promise<void> {
    this.writeOut(runId);
    const file = this.file(runId);
    if (!existsSync(file)) return;
    // entries journaled from now on start a new file while this one is read
    const draining = `${file}.${process.pid}.${++this.drains}.draining`;
    await rename(file, draining);
    let entries: QueueEntry[] = [];
    for await (const line of readLines(draining)) {
      entries.push(decode(line));
      if (entries.length >= CHUNK) {
        await deliver(entries);
        entries = [];
      }
    }
    if (entries.length > 0) await deliver(entries);
    await unlink(draining);
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

function decode(line: string): QueueEntry {
  const [kind, key, value, timestamp, step] = JSON.parse(line) as [string, string, string | number, number, number];
  if (kind === 'm') return { key, value: fromWireNumber(value), timestamp, step };
  return new KeyValueEntry(kind === 't', key, String(value), keyValueBytes(key, String(value)));
}
