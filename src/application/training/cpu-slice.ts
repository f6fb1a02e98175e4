import { setImmediate as nextTurn } from 'node:timers/promises';
import { JobInterruptedError } from '../../domain/errors';

/** Longest stretch of CPU work between two turns of the event loop (ms). */
export const DEFAULT_SLICE_MS = 5;

/**
 * Keeps long CPU work (training epochs, data generation) from holding the event loop: the work calls
 * `due()` in its inner loop (cheap) and `await pause()` when it is, which gives the loop one turn, so
 * SIGINT/SIGTERM handlers, timers and I/O of other jobs run within a few milliseconds at any data size.
 * `pause()` then throws JobInterruptedError if `signal` aborted, so an interrupted job stops between two
 * slices of work instead of finishing it.
 *
 * Cheap: `due()` reads a monotonic clock (call it every ~1000 inner iterations, not every one), and
 * `pause()` is one setImmediate round trip every few ms.
 *
 * @example
 * const slice = new CpuSlice(signal);
 * for (let i = 0; i < rows; i++) {
 *   if ((i & 1023) === 0 && slice.due()) await slice.pause();
 *   work(i);
 * }
 */
export class CpuSlice {
  private sliceStart = performance.now();

  constructor(
    readonly signal?: AbortSignal,
    private readonly sliceMs = DEFAULT_SLICE_MS,
  ) {}

  /** True once this slice has run `sliceMs`: time to `pause()`. */
  due(): boolean {
    return performance.now() - this.sliceStart >= this.sliceMs;
  }

  /** Gives the event loop a turn, then throws JobInterruptedError if the work was aborted meanwhile. */
  async pause(): Promise<void> {
    this.throwIfAborted();
    await nextTurn();
    this.sliceStart = performance.now();
    this.throwIfAborted();
  }

  /** `pause()` when due; otherwise only the abort check. */
  async maybePause(): Promise<void> {
    if (this.due()) await this.pause();
    else this.throwIfAborted();
  }

  throwIfAborted(): void {
    if (this.signal?.aborted) throw new JobInterruptedError(String(this.signal.reason ?? 'abort'));
  }
}
