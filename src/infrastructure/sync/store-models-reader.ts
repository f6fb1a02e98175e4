import path from 'node:path';
import { META } from '../tracking/local/local-layout';
import { corrupt } from '../tracking/local/meta-yaml';
import { checkAlias, listDirs, readMetaIfPresent, readValueFolder } from './store-files';
import { parseVersionMeta } from './store-metadata';
import type { StoredModel, StoredVersion } from './store-types';

/**
 * Reads `<root>/models/<name>/…` (meta.yaml, tags/, aliases/<alias>, version-<N>/meta.yaml and tags/),
 * validating as it goes. A directory without meta.yaml (a registration that never finished) and an alias
 * naming a version the store lacks are reported in `warnings` and left out; anything malformed is a
 * StoreCorruptError naming the file.
 *
 * @example
 * const warnings: string[] = [];
 * const models = await readModels('/srv/mlruns/models', warnings);
 */
export async function readModels(modelsDir: string, warnings: string[]): Promise<StoredModel[]> {
  const models: StoredModel[] = [];
  for (const dirName of await listDirs(modelsDir)) {
    const dir = path.join(modelsDir, dirName);
    const file = path.join(dir, META);
    const meta = await readMetaIfPresent(file);
    if (!meta) {
      warnings.push(`${dir}: no ${META} (a model whose creation did not finish); left out`);
      continue;
    }
    const name = typeof meta.name === 'string' ? meta.name : dirName;
    if (name !== dirName) throw corrupt(file, `it records model name ${JSON.stringify(name)} but lives in directory ${dirName}`);
    const versions = await readVersions(dir, warnings);
    const description = typeof meta.description === 'string' && meta.description !== '' ? meta.description : undefined;
    const aliases = await readAliases(dir, versions, warnings);
    models.push({ name, description, tags: await readValueFolder(path.join(dir, 'tags'), 'tag'), versions, aliases });
  }
  return models;
}

async function readVersions(modelDir: string, warnings: string[]): Promise<StoredVersion[]> {
  const versions: StoredVersion[] = [];
  for (const dirName of await listDirs(modelDir)) {
    const match = /^version-([1-9]\d*)$/.exec(dirName);
    if (!match) continue;
    const file = path.join(modelDir, dirName, META);
    const meta = await readMetaIfPresent(file);
    if (!meta) {
      warnings.push(`${path.dirname(file)}: no ${META} (a version whose registration did not finish); left out`);
      continue;
    }
    const { deleted, ...parsed } = parseVersionMeta(meta, Number(match[1]), file);
    if (deleted) continue;
    versions.push({ ...parsed, tags: await readValueFolder(path.join(modelDir, dirName, 'tags'), 'tag'), file });
  }
  return versions.sort((a, b) => a.version - b.version);
}

/** `aliases/<alias>` files hold a version number; one naming a version the store does not have is left out. */
async function readAliases(modelDir: string, versions: StoredVersion[], warnings: string[]): Promise<Record<string, number>> {
  const aliases: Record<string, number> = {};
  const dir = path.join(modelDir, 'aliases');
  for (const [alias, text] of Object.entries(await readValueFolder(dir))) {
    const file = path.join(dir, alias);
    checkAlias(alias, file);
    if (!/^[1-9]\d*$/.test(text.trim())) throw corrupt(file, `it should hold a version number, found ${JSON.stringify(text)}`);
    const version = Number(text.trim());
    if (!versions.some((v) => v.version === version)) {
      warnings.push(`${file}: alias points at version ${version}, which the store does not have; left out`);
      continue;
    }
    aliases[alias] = version;
  }
  return aliases;
}
