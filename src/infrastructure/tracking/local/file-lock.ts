import { promises as fs } from 'node:fs';
import { StoreCorruptError } from '../../../domain/errors';

export interface FileLockOptions {
  /** A lock older than this is taken to be left by a crashed process and broken. */
  staleMs?: number;
  /** Give up after this long. */
  timeoutMs?: number;
}

const inProcess = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` while holding an exclusive lock file (`open(…, 'wx')` fails if it exists, on every local
 * filesystem), so two processes cannot interleave a check-then-create. Callers in this process queue on a
 * promise first, so they do not poll each other. A crashed holder's lock is broken after `staleMs`.
 */
export async function withFileLock<T>(lockFile: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const previous = inProcess.get(lockFile) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(async () => {
    await acquire(lockFile, options.staleMs ?? 10_000, options.timeoutMs ?? 30_000);
    try {
      return await fn();
    } finally {
      await fs.rm(lockFile, { force: true });
    }
  });
  inProcess.set(lockFile, run);
  void run.finally(() => {
    if (inProcess.get(lockFile) === run) inProcess.delete(lockFile);
  }).catch(() => undefined);
  return run;
}

async function acquire(lockFile: string, staleMs: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await fs.open(lockFile, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const stat = await fs.stat(lockFile).catch(() => undefined);
    if (stat && Date.now() - stat.mtimeMs > staleMs) {
      await fs.rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new StoreCorruptError(
        `Timed out waiting for the lock ${lockFile}. If no other mlops-kit process is using this store, delete that file.`,
        { details: { file: lockFile } },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(50, 5 + attempt * 5)));
  }
}
