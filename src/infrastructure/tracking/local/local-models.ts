import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ErrorCodes, NotFoundError } from '../../../domain/errors';
import type { ModelVersion } from '../../../domain/model/model-version';
import { modelNotFound } from '../shared/registry-errors';
import { ensureDir, replaceFile } from './atomic-write';
import { KeyedQueue } from './keyed-queue';
import { META, listValueFiles, readValue, type StoreLayout } from './local-layout';
import { corrupt, dumpMeta, field, optionalField, readMetaFile, type MetaRecord } from './meta-yaml';
import { versionNumbers } from './version-allocation';

/**
 * Reading and writing the registry's files under `<root>/models/<name>/`: meta.yaml of models and
 * versions, `tags/`, and `aliases/<alias>` files holding a version number. LocalModelRegistry is the
 * port on top; this class knows the layout and MLflow's quirks (e.g. a model's meta.yaml repeats its
 * aliases, versions as strings).
 *
 * @example const versions = await new LocalModels(layout).versionsOf('churn');
 */
export class LocalModels {
  private readonly modelQueue = new KeyedQueue();

  constructor(private readonly layout: StoreLayout) {}

  /** Resolves when queued meta.yaml rewrites have landed. */
  async idle(): Promise<void> {
    await this.modelQueue.idle();
  }

  /** Reads `models/<name>/meta.yaml`; MODEL_NOT_FOUND without the directory. Retries briefly while another writer is creating it. */
  async readModelMeta(name: string): Promise<MetaRecord> {
    const dir = this.layout.modelDir(name);
    if (!(await fs.stat(dir).then((s) => s.isDirectory(), () => false))) throw modelNotFound(name);
    for (let attempt = 0; ; attempt++) {
      try {
        return await readMetaFile(path.join(dir, META), ErrorCodes.MODEL_NOT_FOUND, `registered model ${JSON.stringify(name)}`);
      } catch (error) {
        if (!(error instanceof NotFoundError) || attempt >= 10) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  /** Rewrites the model's meta.yaml with a new last_updated_timestamp (and its aliases, as MLflow does). */
  async touchModel(name: string, now: number): Promise<void> {
    await this.modelQueue.run(name, async () => {
      const meta = await this.readModelMeta(name);
      const aliases = Object.fromEntries(Object.entries(await this.aliasMap(name)).map(([a, v]) => [a, String(v)]));
      await replaceFile(path.join(this.layout.modelDir(name), META), dumpMeta({ ...meta, aliases, last_updated_timestamp: now }));
    });
  }

  async versionsOf(name: string): Promise<ModelVersion[]> {
    const aliases = await this.aliasMap(name).catch(() => ({}));
    const found = await Promise.all((await versionNumbers(this.layout.modelDir(name))).map((v) => this.readVersion(name, v, aliases)));
    return found.filter((v): v is ModelVersion => v !== undefined);
  }

  /** One version, or undefined when its directory or meta.yaml is missing (being created) or it was deleted. */
  async readVersion(name: string, version: number, aliases: Record<string, number>): Promise<ModelVersion | undefined> {
    const dir = this.layout.versionDir(name, version);
    const file = path.join(dir, META);
    let meta: MetaRecord;
    try {
      meta = await readMetaFile(file, ErrorCodes.MODEL_VERSION_NOT_FOUND);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
    if (meta.current_stage === 'Deleted_Internal') return undefined;
    // MLflow 3 writes model_id for a version of a logged model; older stores have none
    const modelId = optionalField(meta, 'model_id', 'string', file);
    const status = meta.status ?? 'READY';
    if (status !== 'READY' && status !== 'PENDING_REGISTRATION' && status !== 'FAILED_REGISTRATION') throw corrupt(file, `status is ${JSON.stringify(status)}`);
    return {
      name,
      version,
      source: optionalField(meta, 'source', 'string', file) ?? '',
      runId: optionalField(meta, 'run_id', 'string', file) || undefined,
      ...(modelId ? { modelId } : {}),
      status,
      creationTimestamp: field(meta, 'creation_timestamp', 'number', file),
      lastUpdatedTimestamp: optionalField(meta, 'last_updated_timestamp', 'number', file) ?? field(meta, 'creation_timestamp', 'number', file),
      description: optionalField(meta, 'description', 'string', file),
      tags: await this.readValues(path.join(dir, 'tags')),
      aliases: Object.entries(aliases).filter(([, v]) => v === version).map(([a]) => a).sort(),
    };
  }

  /** alias → version from `aliases/<alias>` files; a file that is not a version number is corrupt. */
  async aliasMap(name: string): Promise<Record<string, number>> {
    const dir = path.join(this.layout.modelDir(name), 'aliases');
    const out: Record<string, number> = {};
    for (const alias of await listValueFiles(dir)) {
      const file = path.join(dir, alias);
      const text = (await readValue(file))?.trim();
      if (text === undefined) continue;
      if (!/^[1-9]\d*$/.test(text)) throw corrupt(file, `it should hold a version number, found ${JSON.stringify(text)}`);
      out[alias] = Number(text);
    }
    return out;
  }

  async readValues(dir: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const key of await listValueFiles(dir)) out[key] = (await readValue(path.join(dir, ...key.split('/')))) ?? '';
    return out;
  }

  async writeValue(tempDir: string, file: string, value: string): Promise<void> {
    await ensureDir(path.dirname(file));
    await replaceFile(file, value, tempDir);
  }
}
