const RESOLVED: Promise<void> = Promise.resolve();

/**
 * Bookkeeping for metric appends the tracker does not make its caller wait for (the ITracker port allows
 * buffering: "resolves when accepted"; `flush()` delivers). Up to `bound` writes may be in flight; past
 * it, a call returns its own write so an awaiting caller slows to the disk's pace and memory stays flat.
 * A failed write is remembered and thrown by the next `throwFailure()` (flush, endRun, stop), never lost.
 *
 * @example
 * return writes.track(appendText(file, line)); // resolved at once while under the bound
 */
export class BufferedWrites {
  private inFlight = 0;
  private failure: unknown;
  /** The first write that ever failed, kept after `throwFailure()` so `stop()` can still fail the job. */
  firstFailure: unknown;

  constructor(private readonly bound = 2_000) {}

  track(write: Promise<void>): Promise<void> {
    this.inFlight++;
    write.then(this.done, this.failed);
    return this.inFlight < this.bound ? RESOLVED : write.catch(() => undefined);
  }

  /** Throws (once) the first write error seen since the last call. */
  throwFailure(): void {
    if (this.failure === undefined) return;
    const failure = this.failure;
    this.failure = undefined;
    throw failure;
  }

  private readonly done = (): void => {
    this.inFlight--;
  };

  private readonly failed = (error: unknown): void => {
    this.inFlight--;
    this.failure ??= error;
    this.firstFailure ??= error;
  };
}
