import { localStoreHealth, type StoreHealth } from '../client/store-health';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ErrorCodes, ValidationError } from '../../../domain/errors';
import type {
  CreateModelVersionRequest,
  ModelVersion,
  RegisteredModel,
  SearchModelVersionsQuery,
} from '../../../domain/model/model-version';
import type { Page } from '../../../domain/model/run';
import type { RegistryStore } from '../client/registry-store';
import { parseFilter } from '../shared/filter-parser';
import { aliasNotFound, versionNotFound } from '../shared/registry-errors';
import { searchVersionsIn } from '../shared/version-search';
import { ensureDir, replaceFile } from './atomic-write';
import { META, StoreLayout } from './local-layout';
import { LocalModels } from './local-models';
import { dumpMeta, field, optionalField } from './meta-yaml';
import { claimNextVersion } from './version-allocation';

/**
 * A RegistryStore over MLflow's file store (`<root>/models/<name>/…`), the layout MLflow 2.x's registry
 * FileStore reads. Version numbers are claimed with an exclusive `mkdir` of `version-<N>`, so two
 * processes registering at once never get the same number; meta.yaml and alias files are replaced
 * atomically. Aliases are files `aliases/<alias>` holding the version number. Names the file store
 * cannot hold (`%`, `..` …) are refused here; every other rule is the RegistryClient's.
 *
 * @example const registry = new RegistryClient(new LocalRegistryStore('./mlruns'));
 */
export class LocalRegistryStore implements RegistryStore {
  readonly layout: StoreLayout;
  readonly description: string;
  private readonly files: LocalModels;

  constructor(root: string, private readonly clock: () => number = Date.now) {
    this.layout = new StoreLayout(root);
    this.description = `local store ${this.layout.root}`;
    this.files = new LocalModels(this.layout);
  }

  async open(): Promise<void> {
    await ensureDir(this.layout.modelsDir);
  }

  /** Ok when the store's directory (or where it will be created) is writable. */
  health(): Promise<StoreHealth> {
    return localStoreHealth(this.layout.root, this.description);
  }

  async close(): Promise<void> {
    await this.files.idle();
  }

  async createRegisteredModel(name: string, options: { description?: string; tags?: Record<string, string> }): Promise<RegisteredModel | undefined> {
    checkModelName(name);
    const dir = this.layout.modelDir(name);
    await ensureDir(this.layout.modelsDir);
    try {
      await fs.mkdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
      throw error;
    }
    for (const [key, value] of Object.entries(options.tags ?? {})) await this.files.writeValue(dir, path.join(dir, 'tags', ...key.split('/')), String(value));
    const now = this.clock();
    await replaceFile(path.join(dir, META), dumpMeta({ aliases: {}, creation_timestamp: now, description: options.description ?? null, last_updated_timestamp: now, name }));
    return this.getRegisteredModel(name);
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    checkModelName(name);
    const dir = this.layout.modelDir(name);
    const file = path.join(dir, META);
    const meta = await this.files.readModelMeta(name);
    const aliases = Object.entries(await this.files.aliasMap(name))
      .map(([alias, version]) => ({ alias, version }))
      .sort((a, b) => (a.alias < b.alias ? -1 : 1));
    return {
      name,
      creationTimestamp: field(meta, 'creation_timestamp', 'number', file),
      lastUpdatedTimestamp: field(meta, 'last_updated_timestamp', 'number', file),
      description: optionalField(meta, 'description', 'string', file),
      tags: await this.files.readValues(path.join(dir, 'tags')),
      aliases,
    };
  }

  async createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion> {
    checkModelName(request.name);
    await this.files.readModelMeta(request.name);
    const modelDir = this.layout.modelDir(request.name);
    const version = await claimNextVersion(modelDir);
    const dir = this.layout.versionDir(request.name, version);
    for (const [key, value] of Object.entries(request.tags ?? {})) await this.files.writeValue(dir, path.join(dir, 'tags', ...key.split('/')), String(value));
    const now = this.clock();
    await replaceFile(
      path.join(dir, META),
      dumpMeta({
        aliases: [], creation_timestamp: now, current_stage: 'None', description: request.description ?? null,
        last_updated_timestamp: now, ...(request.modelId !== undefined && { model_id: request.modelId }), name: request.name, run_id: request.runId ?? null, run_link: null, source: request.source,
        status: 'READY', status_message: null, storage_location: request.source, user_id: null, version,
      }),
    );
    await this.files.touchModel(request.name, now);
    return this.getModelVersion(request.name, version);
  }

  async getModelVersion(name: string, version: number): Promise<ModelVersion> {
    checkModelName(name);
    const found = await this.files.readVersion(name, version, await this.files.aliasMap(name).catch(() => ({})));
    if (!found) throw versionNotFound(name, version);
    return found;
  }

  /** A filter naming one model (`name='churn' …`, as "latest version" asks) reads only that model's folder. */
  async searchModelVersions(query: SearchModelVersionsQuery): Promise<Page<ModelVersion>> {
    const named = parseFilter(query.filter).find((c) => c.entity === '' && c.key === 'name' && c.op === '=' && typeof c.value === 'string');
    const all: ModelVersion[] = [];
    const models = (await this.modelNames()).filter((name) => !named || name === named.value);
    for (const name of models) all.push(...(await this.files.versionsOf(name)));
    return searchVersionsIn(all, query);
  }

  async setAlias(name: string, alias: string, version: number): Promise<void> {
    checkModelName(name);
    await this.files.readModelMeta(name);
    await this.getModelVersion(name, version);
    await this.files.writeValue(this.layout.modelDir(name), this.layout.aliasFile(name, alias), String(version));
    await this.files.touchModel(name, this.clock());
  }

  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    checkModelName(name);
    await this.files.readModelMeta(name);
    const version = (await this.files.aliasMap(name))[alias];
    if (version === undefined) throw aliasNotFound(name, alias);
    return this.getModelVersion(name, version);
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    checkModelName(name);
    await this.files.readModelMeta(name);
    await fs.rm(this.layout.aliasFile(name, alias), { force: true });
    await this.files.touchModel(name, this.clock());
  }

  private async modelNames(): Promise<string[]> {
    const entries = await fs.readdir(this.layout.modelsDir, { withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
  }
}

/** The file store's own name rules: no `%`, and nothing that is not a plain directory name. */
function checkModelName(name: string): void {
  if (name === '.' || name === '..' || /[%\\\0]/.test(name)) {
    throw new ValidationError(
      `Invalid registered model name ${JSON.stringify(name)} for the local store: names may not be "." or ".." or contain "%", "\\" or NUL.`,
      ErrorCodes.INVALID_MODEL_NAME,
      { details: { name } },
    );
  }
}
