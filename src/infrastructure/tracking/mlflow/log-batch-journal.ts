import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { KeyValueEntry, type QueueEntry } from './log-batch-queue';
import { keyValueBytes } from './log-batch-json';
import { fromWireNumber, toWireNumber } from './wire-json';

/** Lines per synchronous write, and entries per hand-over when the journal is read back. */
const CHUNK = 1000;

/**
 * A disk extension of the batcher's queue for callers that log faster than the server takes and never
 * await: one JSON line per entry, appended SYNCHRONOUSLY to `<dir>/<runId>.ndjson` every 1,000 entries.
 * The synchronous write is the point: it is the only brake a producer that never yields to the event
 * loop can feel, so memory stays flat at any logging rate. The journal is read back in order, 1,000
 * entries at a time, as the queue has room (log-batch-overflow.ts), then deleted.
 *
 * A write that fails (disk full …) keeps the lines in memory and is retried with the next chunk: the
 * entries are held, not lost, and `onWriteError` hears about it. Per run the unwritten lines are always
 * the newest, so reading the file first and then the lines keeps the order.
 *
 * @example
 * const journal = new OverflowJournal('/tmp/mlops-kit-overflow-x1y2', (e) => logger.error(String(e)));
 * journal.append(runId, metric);               // sync; writes every 1,000 entries
 * while (!journal.isEmpty(runId)) await journal.drainSome(runId, (entries) => admitToQueue(entries));
 */
export class OverflowJournal {
  private readonly unwritten = new Map<string, string[]>();
  private drains = 0;
  private dirMade = false;

  constructor(
    readonly dir: string,
    private readonly onWriteError: (error: unknown) => void,
  ) {}

  append(runId: string, entry: QueueEntry): void {
    let lines = this.unwritten.get(runId);
    if (lines === undefined) {
      lines = [];
      this.unwritten.set(runId, lines);
    }
    lines.push(encode(entry));
    if (lines.length % CHUNK === 0) this.writeOut(runId);
  }

  /** True when nothing of `runId` waits in memory or on disk. */
  isEmpty(runId: string): boolean {
    return (this.unwritten.get(runId)?.length ?? 0) === 0 && !existsSync(this.file(runId));
  }

  /**
   * Hands the oldest part of `runId`'s journal to `deliver`, 1,000 entries at a time, in order: the whole
   * file when there is one (entries journaled meanwhile start a new file), else the lines no write took.
   * Call it until `isEmpty(runId)`.
   */
  async drainSome(runId: string, deliver: (entries: QueueEntry[]) => Promise<void>): Promise<void> {
    this.writeOut(runId);
    const file = this.file(runId);
    if (existsSync(file)) {
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
      return;
    }
    const lines = this.unwritten.get(runId) ?? [];
    this.unwritten.delete(runId);
    for (let i = 0; i < lines.length; i += CHUNK) await deliver(lines.slice(i, i + CHUNK).map(decode));
  }

  private writeOut(runId: string): void {
    const lines = this.unwritten.get(runId);
    if (!lines || lines.length === 0) return;
    try {
      if (!this.dirMade) mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      this.dirMade = true;
      appendFileSync(this.file(runId), `${lines.join('\n')}\n`);
      lines.length = 0;
    } catch (error) {
      this.onWriteError(error);
    }
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
