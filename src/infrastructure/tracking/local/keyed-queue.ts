/**
 * Runs tasks one at a time per key, in call order (a promise chain per key). Used for read-modify-write
 * of one meta.yaml, so two updates to one run from this process cannot lose each other's change.
 *
 * @example await queue.run(runId, async () => { const meta = await read(); await write({ ...meta, status }); });
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(task);
    this.tails.set(key, next);
    void next
      .finally(() => {
        if (this.tails.get(key) === next) this.tails.delete(key);
      })
      .catch(() => undefined);
    return next;
  }

  /** Resolves when every task queued so far has settled. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.tails.values()]);
  }
}
