/**
 * Runs one attempt of a branch with its own AbortSignal, aborted when the caller's signal aborts or when
 * `timeoutMs` passes. On timeout the attempt rejects at once with `onTimeout()`; the work keeps running in
 * the background (JavaScript cannot stop a promise) and its late result or error is ignored.
 *
 * @example
 * await runAttempt((signal) => fetchThing(signal), { timeoutMs: 5000, onTimeout: () => new Error('slow') });
 */
export async function runAttempt<T>(
  work: (signal: AbortSignal) => Promise<T>,
  options: { signal?: AbortSignal; timeoutMs?: number; onTimeout: () => Error },
): Promise<T> {
  const { signal, timeoutMs } = options;
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    // async wrapper: a synchronous throw becomes a rejection like any other failure
    const running = (async () => work(controller.signal))();
    if (timeoutMs === undefined) return await running;
    running.catch(() => undefined);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = options.onTimeout();
        controller.abort(error);
        reject(error);
      }, timeoutMs);
    });
    return await Promise.race([running, timeout]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Waits `ms`, or less when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
