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
import { searchVersionsIn } from '../shared/version-search';
import { aliasNotFound, modelNotFound, versionNotFound } from '../shared/registry-errors';

export interface InMemoryModelRegistryOptions {
  logger?: ILogger;
  /** Milliseconds since epoch; pin it in tests. */
  clock?: () => number;
}

interface ModelRecord {
  model: Omit<RegisteredModel, 'aliases'>;
  versions: Map<number, Omit<ModelVersion, 'aliases'>>;
  aliases: Map<string, number>;
}

/**
 * IModelRegistry kept in process memory with MLflow's registry semantics: idempotent model creation,
 * version numbers max+1, aliases (validated, reserved names refused) that move when set again, and
 * NotFoundError codes MODEL_NOT_FOUND / MODEL_VERSION_NOT_FOUND / MODEL_ALIAS_NOT_FOUND.
 *
 * @example
 * const registry = new InMemoryModelRegistry();
 * await registry.createRegisteredModel('churn');
 * const v = await registry.createModelVersion({ name: 'churn', source: `runs:/${runId}/model`, runId });
 * await registry.setAlias('churn', 'Champion', v.version);
 * expect(registry.aliases('churn')).toEqual({ Champion: 1 });
 */
export class InMemoryModelRegistry implements IModelRegistry {
  readonly serviceName = 'registry:memory';
  private readonly models = new Map<string, ModelRecord>();
  private readonly clock: () => number;

  constructor(options: InMemoryModelRegistryOptions = {}) {
    this.clock = options.clock ?? (() => Date.now());
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async createRegisteredModel(name: string, options: { description?: string; tags?: Record<string, string> } = {}): Promise<RegisteredModel> {
    assertValidModelName(name);
    const existing = this.models.get(name);
    if (existing) return this.view(existing);
    for (const key of Object.keys(options.tags ?? {})) assertValidKey('tag', key);
    const now = this.clock();
    const record: ModelRecord = {
      model: { name, creationTimestamp: now, lastUpdatedTimestamp: now, description: options.description, tags: { ...options.tags } },
      versions: new Map(),
      aliases: new Map(),
    };
    this.models.set(name, record);
    return this.view(record);
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return this.view(this.record(name));
  }

  async createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion> {
    assertValidModelName(request.name);
    const record = this.record(request.name);
    for (const key of Object.keys(request.tags ?? {})) assertValidKey('tag', key);
    const version = Math.max(0, ...record.versions.keys()) + 1;
    const now = this.clock();
    record.versions.set(version, {
      name: request.name, version, source: request.source, runId: request.runId, status: 'READY',
      creationTimestamp: now, lastUpdatedTimestamp: now, description: request.description, tags: { ...request.tags },
    });
    record.model.lastUpdatedTimestamp = now;
    return this.versionView(record, version);
  }

  async getModelVersion(name: string, version: number): Promise<ModelVersion> {
    const record = this.models.get(name);
    if (!record?.versions.has(version)) throw versionNotFound(name, version);
    return this.versionView(record, version);
  }

  async searchModelVersions(query: SearchModelVersionsQuery): Promise<Page<ModelVersion>> {
    const all = [...this.models.values()].flatMap((record) => [...record.versions.keys()].map((v) => this.versionView(record, v)));
    return searchVersionsIn(all, query);
  }

  /** Undefined when the model has no versions or does not exist (as a search by name would say). */
  async getLatestVersion(name: string): Promise<ModelVersion | undefined> {
    assertValidModelName(name);
    const record = this.models.get(name);
    if (!record || record.versions.size === 0) return undefined;
    return this.versionView(record, Math.max(...record.versions.keys()));
  }

  async setAlias(name: string, alias: string, version: number): Promise<void> {
    assertValidAlias(alias);
    const record = this.record(name);
    if (!record.versions.has(version)) throw versionNotFound(name, version);
    record.aliases.set(alias, version);
  }

  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    assertValidAlias(alias);
    const record = this.record(name);
    const version = record.aliases.get(alias);
    if (version === undefined) throw aliasNotFound(name, alias);
    return this.versionView(record, version);
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    assertValidAlias(alias);
    this.record(name).aliases.delete(alias);
  }

  // ---- query helpers for tests -------------------------------------------------------------

  /** Every registered model with its aliases. */
  registeredModels(): RegisteredModel[] {
    return [...this.models.values()].map((r) => this.view(r));
  }

  /** Versions of a model, ascending; [] for an unknown model. */
  versions(name: string): ModelVersion[] {
    const record = this.models.get(name);
    if (!record) return [];
    return [...record.versions.keys()].sort((a, b) => a - b).map((v) => this.versionView(record, v));
  }

  /** alias → version of a model; {} for an unknown model. */
  aliases(name: string): Record<string, number> {
    return Object.fromEntries(this.models.get(name)?.aliases ?? []);
  }

  private record(name: string): ModelRecord {
    const record = this.models.get(name);
    if (!record) throw modelNotFound(name);
    return record;
  }

  private view(record: ModelRecord): RegisteredModel {
    const aliases = [...record.aliases].map(([alias, version]) => ({ alias, version })).sort((a, b) => (a.alias < b.alias ? -1 : 1));
    return { ...record.model, tags: { ...record.model.tags }, aliases };
  }

  private versionView(record: ModelRecord, version: number): ModelVersion {
    const stored = record.versions.get(version)!;
    const aliases = [...record.aliases].filter(([, v]) => v === version).map(([a]) => a).sort();
    return { ...stored, tags: { ...stored.tags }, aliases };
  }
}
