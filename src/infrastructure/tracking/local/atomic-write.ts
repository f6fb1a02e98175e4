import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * The file operations the local store's concurrency guarantees rest on, for many runs in one process and
 * several processes on one store:
 * - `replaceFile`: write a temp file in the same directory, then rename over the target. Readers see the
 *   old file or the new one, never a half-written one (rename is atomic within a filesystem).
 * - `createFileOnce`: the same, but `link` instead of rename, which fails with EEXIST if the target exists,
 *   so exactly one writer wins and the winner's content is complete when it appears (write-once params).
 * - `appendText`: one `write` on an O_APPEND descriptor per batch. The kernel positions each append at the
 *   end of the file atomically, and a local filesystem does not interleave one small write with another,
 *   so lines from concurrent writers never mix. Appends to one file are also chained in-process, so a
 *   partial write (which would need a second write call) cannot be overtaken by another append.
 */
export async function replaceFile(file: string, content: string | Buffer, tempDir = path.dirname(file)): Promise<void> {
  const temp = tempNameFor(file, tempDir);
  try {
    await fs.writeFile(temp, content);
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Creates `file` with `content` unless it exists; returns false (and leaves it untouched) if it does. */
export async function createFileOnce(file: string, content: string | Buffer, tempDir = path.dirname(file)): Promise<boolean> {
  const temp = tempNameFor(file, tempDir);
  await fs.writeFile(temp, content);
  try {
    await fs.link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await fs.rm(temp, { force: true }).catch(() => undefined);
  }
}

const appendChains = new Map<string, Promise<void>>();

/** Texts waiting for the current append to `file` to land; they go out together in the next write. */
const openGroups = new Map<string, { texts: string[]; done: Promise<void> }>();

/**
 * Appends `text` to `file` (created if missing) with a single O_APPEND write. Group commit: texts that
 * arrive while an append to the same file is in flight are joined and written by the next single write,
 * in call order, so a burst of small appends (a spill of 1,000 metric lines) costs a few writes, not 1,000.
 */
export function appendText(file: string, text: string): Promise<void> {
  const open = openGroups.get(file);
  if (open) {
    open.texts.push(text);
    return open.done;
  }
  const group = { texts: [text], done: Promise.resolve() };
  openGroups.set(file, group);
  const previous = appendChains.get(file) ?? Promise.resolve();
  group.done = previous
    .catch(() => undefined)
    .then(() => {
      openGroups.delete(file); // texts from now on start the next group
      return appendOnce(file, Buffer.from(group.texts.join(''), 'utf8'));
    });
  const next = group.done;
  appendChains.set(file, next);
  void next.finally(() => {
    if (appendChains.get(file) === next) appendChains.delete(file);
  }).catch(() => undefined);
  return next;
}

/** Resolves when every append started so far (to any file) has landed. */
export async function settleAppends(): Promise<void> {
  await Promise.allSettled([...appendChains.values()]);
}

async function appendOnce(file: string, bytes: Buffer): Promise<void> {
  const handle = await fs.open(file, 'a');
  try {
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
      offset += bytesWritten;
    }
  } finally {
    await handle.close();
  }
}

/** Creates `dir` (and parents); fine if it exists. */
export async function ensureDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
}

/**
 * Temp files go in `tempDir` (same filesystem, so rename/link stay atomic), which callers set to the
 * run/model directory rather than `params/` or `tags/`: MLflow reads every file under those folders as
 * a value, so a temp file there would show up as a bogus param while it exists.
 */
function tempNameFor(file: string, tempDir: string): string {
  return path.join(tempDir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}
