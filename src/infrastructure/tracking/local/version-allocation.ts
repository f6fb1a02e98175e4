import { promises as fs } from 'node:fs';
import path from 'node:path';

/** `version-<N>` directory names of a model directory, as numbers (unordered). */
export async function versionNumbers(modelDir: string): Promise<number[]> {
  const entries = await fs.readdir(modelDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((e) => e.isDirectory() && /^version-[1-9]\d*$/.test(e.name))
    .map((e) => Number(e.name.slice('version-'.length)));
}

/**
 * Claims the next version number of a model: max+1 over the `version-<N>` directories, taken with a
 * non-recursive `mkdir`, which fails with EEXIST if the directory exists. That makes the claim exclusive
 * across threads and processes on one filesystem: a loser retries with the next number, so two writers
 * never share a number and numbers stay dense. Returns the claimed number; the caller writes meta.yaml.
 */
export async function claimNextVersion(modelDir: string): Promise<number> {
  let candidate = Math.max(0, ...(await versionNumbers(modelDir))) + 1;
  for (;;) {
    try {
      await fs.mkdir(path.join(modelDir, `version-${candidate}`));
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      candidate += 1;
    }
  }
}
