import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConflictError, ErrorCodes } from '../../domain/errors';
import { createFileOnce } from '../tracking/local/atomic-write';

/** The lock file's name in the store's root (dot-prefixed: store readers skip it). */
export const SYNC_LOCK_FILE = '.mlops-kit-sync.lock';

/** Who holds a sync lock; written as JSON into the lock file. */
export interface SyncLockHolder {
  pid: number;
  host: string;
  /** ISO time the holder took the lock. */
  since: string;
  /** Tells this holder's lock from a later one at the same path. */
  token: string;
}

/**
 * One sync at a time per local store. Two syncs of one store racing each other would both find a run
 * missing on the server and both create it (the duplicates the search-before-create check cannot stop),
 * so `sync` takes this lock before its first write and the second one stops at once with one line
 * naming the holder.
 *
 * The lock is the file `<store>/.mlops-kit-sync.lock` holding `{pid, host, since, token}`, published
 * whole with `link()` (atomic, fails if the file exists). A lock whose holder is a dead process on this
 * host (kill -9, power loss) is stale and taken over; one held on another host is respected (we cannot
 * see its processes), and the message says which file to delete if that host's sync is gone. A store in
 * a read-only directory is locked in the OS temp dir instead, keyed by the store's real path.
 *
 * @example
 * const lock = await SyncLock.acquire('./mlruns');
 * try { await replay(); } finally { await lock.release(); }
 */
export class SyncLock {
  private released = false;

  private constructor(
    readonly file: string,
    private readonly holder: SyncLockHolder,
  ) {}

  /** Takes the lock, or throws a ConflictError (`details.reason` SYNC_LOCKED) naming the holder and the lock file. */
  static async acquire(storeRoot: string): Promise<SyncLock> {
    const holder: SyncLockHolder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), token: randomUUID() };
    const file = await lockFileFor(storeRoot);
    // a stale lock is broken at most a few times: each break is followed by a fresh attempt
    for (let attempt = 0; attempt < 3; attempt++) {
      // written aside and linked into place, so a reader never sees a half-written holder; false: held
      if (await createFileOnce(file, JSON.stringify(holder))) return new SyncLock(file, holder);
      const current = await readHolder(file);
      if (current === undefined) continue; // released in between
      if (current !== 'unreadable' && isAlive(current)) throw lockedError(storeRoot, file, current);
      await breakStale(file, current);
    }
    throw lockedError(storeRoot, file, await readHolder(file));
  }

  /** Removes the lock if it is still this holder's; safe to call twice. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const current = await readHolder(this.file);
    if (current !== undefined && current !== 'unreadable' && current.token === this.holder.token) await fs.rm(this.file, { force: true });
  }
}

/** `<store>/.mlops-kit-sync.lock`, or a file in the OS temp dir when the store's directory is read-only. */
async function lockFileFor(storeRoot: string): Promise<string> {
  const real = await fs.realpath(storeRoot);
  try {
    await fs.access(real, fs.constants.W_OK);
    return path.join(real, SYNC_LOCK_FILE);
  } catch {
    return path.join(os.tmpdir(), `mlops-kit-sync-${createHash('sha256').update(real).digest('hex').slice(0, 16)}.lock`);
  }
}

async function readHolder(file: string): Promise<SyncLockHolder | 'unreadable' | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<SyncLockHolder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string') return value as SyncLockHolder;
  } catch {
    // falls through: not a lock this code wrote
  }
  return 'unreadable';
}

/** Alive unless it is a process of this host that no longer exists. */
function isAlive(holder: SyncLockHolder): boolean {
  if (holder.host !== os.hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Moves the stale lock aside and deletes it. If what was moved is not the stale lock that was read (a
 * live sync broke it and took the lock in between), it is put back and the next attempt sees it held.
 */
async function breakStale(file: string, stale: SyncLockHolder | 'unreadable'): Promise<void> {
  const aside = `${file}.${randomUUID()}.stale`;
  try {
    await fs.rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readHolder(aside);
  const same = stale === 'unreadable' ? moved === 'unreadable' : moved !== undefined && moved !== 'unreadable' && moved.token === stale.token;
  if (!same) await fs.link(aside, file).catch(() => undefined);
  await fs.rm(aside, { force: true });
}

function lockedError(storeRoot: string, file: string, holder: SyncLockHolder | 'unreadable' | undefined): ConflictError {
  const who = holder === undefined || holder === 'unreadable' ? 'another process' : `pid ${holder.pid} on ${holder.host}, since ${holder.since}`;
  return new ConflictError(
    `sync: another sync of ${storeRoot} is running (${who}); wait for it to finish, then run this one again (it sends only what is missing). If no such sync is running, delete ${file}.`,
    ErrorCodes.CONFLICT,
    { details: { store: storeRoot, lockFile: file, reason: 'SYNC_LOCKED' } },
  );
}
