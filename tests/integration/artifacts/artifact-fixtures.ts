import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A temp directory per test, removed by `cleanup()`. */
export class TempDirs {
  private readonly dirs: string[] = [];

  async make(label: string): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), `mlops-kit-${label}-`));
    this.dirs.push(dir);
    return dir;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.dirs.splice(0).map((dir) => fs.rm(dir, { recursive: true, force: true })));
  }
}

/** Files a "model" directory holds in these tests: text, binary, nested, a name with a space. */
export const MODEL_FILES: Record<string, Buffer> = {
  MLmodel: Buffer.from('flavors:\n  python_function: {}\n'),
  'model.bin': randomBytes(70_000),
  'data/weights v2.npy': randomBytes(3_000),
  'data/nested/empty.txt': Buffer.alloc(0),
};

/** Writes `files` (relative path → bytes) under `dir`. */
export async function writeTree(dir: string, files: Record<string, Buffer>): Promise<void> {
  for (const [relative, bytes] of Object.entries(files)) {
    const file = path.join(dir, ...relative.split('/'));
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, bytes);
  }
}

/** Reads every file under `dir` into relative path → bytes. */
export async function readTree(dir: string): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  const walk = async (current: string, prefix: string): Promise<void> => {
    for (const entry of await fs.readdir(current, { withFileTypes: true })) {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path.join(current, entry.name), relative);
      else out[relative] = await fs.readFile(path.join(current, entry.name));
    }
  };
  await walk(dir, '');
  return out;
}
