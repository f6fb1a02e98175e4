import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ErrorCodes, ValidationError } from '../../../domain/errors';
import type {
  CreateModelVersionRequest,
  ModelVersion,
  RegisteredModel,
  SearchModelVersionsQuery,
} from '../../../domain/model/model-version';
import { assertValidAlias, assertValidKey, assertValidModelName } from '../../../domain/model/naming-rules';
import type { Page } from '../../../domain/model/run';
import type { ILogger } from '../../../domain/ports/logger';
import type { IModelRegistry } from '../../../domain/ports/model-registry';
import { aliasNotFound, versionNotFound } from '../shared/registry-errors';
import { searchVersionsIn } from '../shared/version-search';
import { ensureDir, replaceFile } from './atomic-write';
import { DEFAULT_ROOT, META, StoreLayout } from './local-layout';
import { LocalModels } from './local-models';
import { dumpMeta, field, optionalField } from './meta-yaml';
import { claimNextVersion } from './version-allocation';

export interface LocalModelRegistryOptions {
  /** Store directory, or a `file:` URI; the registry lives in `<root>/models`. Default `./mlruns`. */
  root?: string;
  logger?: ILogger;
  /** Milliseconds since epoch; pin it in tests. */
  clock?: () => number;
}

/**
 * IModelRegistry over MLflow's file store (`<root>/models/<name>/…`), the layout MLflow 2.x's registry
 * FileStore reads. Version numbers are claimed with an exclusive `mkdir` of `version-<N>`, so two
 * processes registering at once never get the same number; meta.yaml and alias files are replaced
 * atomically. Aliases are files `aliases/<alias>` holding the version number.
 *
 * @example
 * const registry = new LocalModelRegistry({ root: './mlruns' });
 * await registry.start();
 * await registry.createRegisteredModel('churn');
 * const v = await registry.createModelVersion({ name: 'churn', source: `runs:/${runId}/model`, runId });
 * await registry.setAlias('churn', 'Champion', v.version);   // writes models/churn/aliases/Champion = "1"
 */
export class LocalModelRegistry implements IModelRegistry {
  readonly serviceName = 'registry:local';
  readonly layout: StoreLayout;
  private readonly clock: () => number;
  private readonly files: LocalModels;

  constructor(options: LocalModelRegistryOptions = {}) {
    this.layout = new StoreLayout(options.root ?? DEFAULT_ROOT);
    this.clock = options.clock ?? (() => Date.now());
    this.files = new LocalModels(this.layout);
  }

  async start(): Promise<void> {
    await ensureDir(this.layout.modelsDir);
  }

  async stop(): Promise<void> {
    await this.files.idle();
  }

  async createRegisteredModel(name: string, options: { description?: string; tags?: Record<string, string> } = {}): Promise<RegisteredModel> {
    checkModelName(name);
    for (const key of Object.keys(options.tags ?? {})) assertValidKey('tag', key);
    const dir = this.layout.modelDir(name);
    await ensureDir(this.layout.modelsDir);
    try {
      await fs.mkdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return this.getRegisteredModel(name);
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
    for (const key of Object.keys(request.tags ?? {})) assertValidKey('tag', key);
    if (typeof request.source !== 'string' || request.source.trim() === '') {
      throw new ValidationError('A model version needs a source: runs:/<run_id>/<path>, s3://…, or a path inside the run\'s artifact directory.');
    }
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
        last_updated_timestamp: now, name: request.name, run_id: request.runId ?? null, run_link: null, source: request.source,
        status: 'READY', status_message: null, storage_location: request.source, user_id: null, version,
      }),
    );
    await this.files.touchModel(request.name, now);
    return this.getModelVersion(request.name, version);
  }

  async getModelVersion(name: string, version: number): Promise<ModelVersion> {
    checkModelName(name);
    if (!Number.isSafeInteger(version) || version < 1) throw versionNotFound(name, version);
    const found = await this.files.readVersion(name, version, await this.files.aliasMap(name).catch(() => ({})));
    if (!found) throw versionNotFound(name, version);
    return found;
  }

  async searchModelVersions(query: SearchModelVersionsQuery): Promise<Page<ModelVersion>> {
    const all: ModelVersion[] = [];
    const models = await fs.readdir(this.layout.modelsDir, { withFileTypes: true }).catch(() => []);
    for (const entry of models) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      all.push(...(await this.files.versionsOf(entry.name)));
    }
    return searchVersionsIn(all, query);
  }

  /** Undefined when the model has no versions or does not exist (as a search by name would say). */
  async getLatestVersion(name: string): Promise<ModelVersion | undefined> {
    checkModelName(name);
    const versions = await this.files.versionsOf(name);
    return versions.sort((a, b) => b.version - a.version)[0];
  }

  async setAlias(name: string, alias: string, version: number): Promise<void> {
    checkModelName(name);
    assertValidAlias(alias);
    await this.files.readModelMeta(name);
    await this.getModelVersion(name, version);
    await this.files.writeValue(this.layout.modelDir(name), this.layout.aliasFile(name, alias), String(version));
    await this.files.touchModel(name, this.clock());
  }

  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    checkModelName(name);
    assertValidAlias(alias);
    await this.files.readModelMeta(name);
    const version = (await this.files.aliasMap(name))[alias];
    if (version === undefined) throw aliasNotFound(name, alias);
    return this.getModelVersion(name, version);
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    checkModelName(name);
    assertValidAlias(alias);
    await this.files.readModelMeta(name);
    await fs.rm(this.layout.aliasFile(name, alias), { force: true });
    await this.files.touchModel(name, this.clock());
  }
}

/** MLflow's name rules plus the file store's own: no `%`, and nothing that is not a plain directory name. */
function checkModelName(name: string): void {
  assertValidModelName(name);
  if (name === '.' || name === '..' || /[%\\\0]/.test(name)) {
    throw new ValidationError(
      `Invalid registered model name ${JSON.stringify(name)} for the local store: names may not be "." or ".." or contain "%", "\\" or NUL.`,
      ErrorCodes.INVALID_MODEL_NAME,
      { details: { name } },
    );
  }
}
