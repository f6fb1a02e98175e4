import type { Readable } from 'node:stream';

/**
 * Takes records from an object stream without a promise per record: `take()` returns what the stream
 * has buffered right now (a parsed chunk is thousands of records), and only when it has none does the
 * reader `await wait()`. An async iterator would allocate a promise and a result object for every row,
 * garbage that at a million rows grows the heap by tens of MB.
 *
 * @example
 * const records = new RecordPuller<string[]>(parser);
 * for (let r = records.take(); r !== undefined; r = records.take()) if (r === null) await records.wait(); else use(r);
 */
export class RecordPuller<T> {
  private ended = false;
  private failure: unknown;
  private wake: (() => void) | undefined;

  constructor(private readonly stream: Readable) {
    const wake = (): void => {
      const resolve = this.wake;
      this.wake = undefined;
      resolve?.();
    };
    stream.on('readable', wake);
    stream.on('end', () => {
      this.ended = true;
      wake();
    });
    // closed by its reader (or destroyed by an error, which 'error' reports first): nothing more comes
    stream.on('close', () => {
      this.ended = true;
      wake();
    });
    stream.on('error', (error) => {
      this.failure ??= error;
      wake();
    });
  }

  /** The next record if one is buffered, `null` when none is yet, `undefined` at the end; throws the stream's error. */
  take(): T | null | undefined {
    if (this.failure !== undefined) throw this.failure;
    const record = this.stream.read() as T | null;
    if (record !== null) return record;
    return this.ended ? undefined : null;
  }

  /** Resolves once the stream has more, has ended or has failed. */
  wait(): Promise<void> {
    if (this.ended || this.failure !== undefined) return Promise.resolve();
    return new Promise((resolve) => (this.wake = resolve));
  }
}
