import type { StoreHealth } from '../client/store-health';
import type { CreateModelVersionRequest, ModelVersion, RegisteredModel, SearchModelVersionsQuery } from '../../../domain/model/model-version';
import type { Page } from '../../../domain/model/run';
import type { RegistryStore } from '../client/registry-store';
import { aliasNotFound, modelNotFound, versionNotFound } from '../shared/registry-errors';
import { searchVersionsIn } from '../shared/version-search';

interface ModelRecord {
  model: Omit<RegisteredModel, 'aliases'>;
  versions: Map<number, Omit<ModelVersion, 'aliases'>>;
  aliases: Map<string, number>;
}

/**
 * A RegistryStore in process memory with MLflow's registry semantics: version numbers max+1, aliases that
 * move when set again, NotFoundError codes MODEL_NOT_FOUND / MODEL_VERSION_NOT_FOUND / MODEL_ALIAS_NOT_FOUND.
 *
 * @example
 * const store = new MemoryRegistryStore();
 * const registry = new RegistryClient(store);
 * store.aliases('churn'); // { Champion: 1 }
 */
export class MemoryRegistryStore implements RegistryStore {
  readonly description = 'memory';
  private readonly models = new Map<string, ModelRecord>();

  constructor(private readonly clock: () => number = Date.now) {}

  async open(): Promise<void> {}
  async health(): Promise<StoreHealth> {
    return { ok: true, backend: 'memory' };
  }

  async close(): Promise<void> {}

  async createRegisteredModel(name: string, options: { description?: string; tags?: Record<string, string> }): Promise<RegisteredModel | undefined> {
    if (this.models.has(name)) return undefined;
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
    const record = this.record(request.name);
    const version = Math.max(0, ...record.versions.keys()) + 1;
    const now = this.clock();
    record.versions.set(version, {
      name: request.name, version, source: request.source, runId: request.runId, ...(request.modelId !== undefined && { modelId: request.modelId }), status: 'READY',
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
    return searchVersionsIn(this.registeredModels().flatMap((m) => this.versions(m.name)), query);
  }

  async setAlias(name: string, alias: string, version: number): Promise<void> {
    const record = this.record(name);
    if (!record.versions.has(version)) throw versionNotFound(name, version);
    record.aliases.set(alias, version);
  }

  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    const record = this.record(name);
    const version = record.aliases.get(alias);
    if (version === undefined) throw aliasNotFound(name, alias);
    return this.versionView(record, version);
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    this.record(name).aliases.delete(alias);
  }

  // ---- reads without a promise, for the InMemoryModelRegistry's query helpers -----------------

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
