import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ErrorCodes, NotFoundError, ValidationError } from '../../domain/errors';
import { assertValidAlias, assertValidKey } from '../../domain/model/naming-rules';
import { listValueFiles, readValue } from '../tracking/local/local-layout';
import { corrupt, readMetaFile, type MetaRecord } from '../tracking/local/meta-yaml';

/**
 * Small readers shared by the local-store reader: every failure names the file it came from, so a
 * corrupt store can be fixed by hand.
 */

/** meta.yaml, or undefined when the file does not exist (a directory still being created, or not an entry). */
export async function readMetaIfPresent(file: string): Promise<MetaRecord | undefined> {
  try {
    return await readMetaFile(file, ErrorCodes.NOT_FOUND);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/**
 * Every value file under a folder (`params/`, `tags/`, `aliases/`), keyed by its `/`-joined path below it.
 * With `kind`, each key must be a valid MLflow key: a file name MLflow could never have written means
 * the store was edited by hand, and the target server would refuse it later, mid-sync.
 */
export async function readValueFolder(dir: string, kind?: 'param' | 'tag' | 'metric'): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const key of await listValueFiles(dir)) {
    const file = path.join(dir, ...key.split('/'));
    if (kind) checkKey(kind, key, file);
    out[key] = (await readValue(file)) ?? '';
  }
  return out;
}

/** Throws StoreCorruptError naming `file` when `key` is not a valid MLflow key. */
export function checkKey(kind: 'param' | 'tag' | 'metric', key: string, file: string): void {
  try {
    assertValidKey(kind, key);
  } catch (error) {
    if (error instanceof ValidationError) throw corrupt(file, `its name is not a valid ${kind} key (${error.message})`, error);
    throw error;
  }
}

/** Throws StoreCorruptError naming `file` when `alias` is not one MLflow accepts. */
export function checkAlias(alias: string, file: string): void {
  try {
    assertValidAlias(alias);
  } catch (error) {
    if (error instanceof ValidationError) throw corrupt(file, `its name is not a valid alias (${error.message})`, error);
    throw error;
  }
}

/** Sub-directories of `dir`, sorted; dot-entries (hidden files, in-flight temp files) are left out. */
export async function listDirs(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

export async function isDirectory(dir: string): Promise<boolean> {
  return fs.stat(dir).then((s) => s.isDirectory(), () => false);
}
