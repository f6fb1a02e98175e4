import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ModelFileSize } from '../../domain/model/model-size';

/**
 * Every file below `dir` with its size from `lstat` (read from the inode, never from the file, so a huge
 * or sparse file costs nothing to measure; links are measured, not followed).
 *
 * @example checkModelSize(uri, await localFileSizes(dir), maxModelBytes);
 */
export async function localFileSizes(dir: string, prefix = ''): Promise<ModelFileSize[]> {
  const files: ModelFileSize[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    const absolute = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await localFileSizes(absolute, relative)));
    else files.push({ path: relative, bytes: (await lstat(absolute)).size });
  }
  return files;
}
