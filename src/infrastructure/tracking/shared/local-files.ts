import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ErrorCodes, NotFoundError } from '../../../domain/errors';
import { joinArtifactPath, normalizeArtifactPath } from './artifact-paths';

/** One regular file found under a directory: its absolute path and its `/`-separated path below the directory. */
export interface LocalFile {
  absolute: string;
  relative: string;
  size: number;
}

/**
 * Stats what the caller asked to upload; a missing path becomes a NotFoundError naming both the path as
 * given and where it was looked for, so a wrong working directory is easy to spot.
 */
export async function statUploadSource(localPath: string): Promise<Stats> {
  try {
    return await fs.stat(localPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    const absolute = path.resolve(localPath);
    throw new NotFoundError(
      `Cannot upload artifact ${JSON.stringify(localPath)}: no such file or directory (looked at ${absolute}). ` +
        'Check the path, which is relative to the current working directory unless absolute.',
      ErrorCodes.NOT_FOUND,
      { details: { localPath, absolute } },
    );
  }
}

/**
 * Lists every regular file below `dir` (a snapshot taken before any copy starts, so copying a directory
 * into itself terminates). Like MLflow's `os.walk`, symlinked files are included and symlinked
 * directories are not descended into, which also rules out cycles.
 */
export async function listLocalFiles(dir: string): Promise<LocalFile[]> {
  const found: LocalFile[] = [];
  const walk = async (absoluteDir: string, relativeDir: string): Promise<void> => {
    const entries = await fs.readdir(absoluteDir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const absolute = path.join(absoluteDir, entry.name);
      const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        await walk(absolute, relative);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        const stats = await fs.stat(absolute).catch(() => undefined);
        if (stats?.isFile()) found.push({ absolute, relative, size: stats.size });
      }
    }
  };
  await walk(dir, '');
  return found;
}

/** Runs `task` over `items` with at most `limit` in flight; rejects with the first failure. */
export async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      try {
        await task(items[next++]!);
      } catch (error) {
        next = items.length; // stop the other workers from starting more
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * MLflow's upload rule for remote stores: a file goes to `<artifactPath>/<basename>`; a directory's
 * contents go under `<artifactPath>`, `limit` files at a time. `putFile` does the actual transfer.
 *
 * @example await uploadFileOrDirectory('./model', 'model', 4, (file, size, key) => this.putFile(file, size, key));
 */
export async function uploadFileOrDirectory(
  localPath: string,
  artifactPath: string | undefined,
  limit: number,
  putFile: (absolute: string, size: number, artifactPath: string) => Promise<void>,
): Promise<void> {
  const destination = normalizeArtifactPath(artifactPath);
  const stats = await statUploadSource(localPath);
  if (!stats.isDirectory()) {
    await putFile(localPath, stats.size, joinArtifactPath(destination, path.basename(localPath)));
    return;
  }
  const files = await listLocalFiles(localPath);
  await forEachLimited(files, limit, (file) => putFile(file.absolute, file.size, joinArtifactPath(destination, file.relative)));
}

/** Joins a `/`-separated artifact path onto a local directory. */
export function localPathFor(root: string, artifactPath: string): string {
  return artifactPath === '' ? root : path.join(root, ...artifactPath.split('/'));
}
