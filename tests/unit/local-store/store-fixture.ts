import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh temp directory for one test's store; `remove()` deletes it. */
export async function tempStore(prefix = 'mlops-store-'): Promise<{ root: string; remove(): Promise<void> }> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  return { root, remove: () => fs.rm(root, { recursive: true, force: true }) };
}

/** Every file below `dir` as `/`-separated relative paths, sorted (directories are not listed). */
export async function listFiles(dir: string, relative = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(path.join(dir, relative), { withFileTypes: true })) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, child)));
    else out.push(child);
  }
  return out.sort();
}

export const T0 = 1_700_000_000_000;
