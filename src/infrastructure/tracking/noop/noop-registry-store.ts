import type { StoreHealth } from '../client/store-health';
import type { CreateModelVersionRequest, ModelVersion, RegisteredModel, SearchModelVersionsQuery } from '../../../domain/model/model-version';
import type { Page } from '../../../domain/model/run';
import type { RegistryStore } from '../client/registry-store';

/**
 * A RegistryStore that keeps nothing: every call succeeds. New versions get increasing numbers per model
 * (so a job that reads back `version` sees 1, 2, 3 …), lookups answer a well-formed version 1 pointing
 * nowhere, and a search finds nothing (so "latest version" is none).
 *
 * @example const registry = new RegistryClient(new NoOpRegistryStore());
 */
export class NoOpRegistryStore implements RegistryStore {
  readonly description = 'no-op (nothing is recorded)';
  private readonly counters = new Map<string, number>();

  constructor(private readonly clock: () => number = Date.now) {}

  async open(): Promise<void> {}
  async health(): Promise<StoreHealth> {
    return { ok: true, backend: 'noop' };
  }

  async close(): Promise<void> {}

  async createRegisteredModel(name: string, options: { description?: string; tags?: Record<string, string> }): Promise<RegisteredModel> {
    const now = this.clock();
    return { name, creationTimestamp: now, lastUpdatedTimestamp: now, description: options.description, tags: { ...options.tags }, aliases: [] };
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return this.createRegisteredModel(name, {});
  }

  async createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion> {
    const version = (this.counters.get(request.name) ?? 0) + 1;
    this.counters.set(request.name, version);
    return this.version(request.name, version, request);
  }

  async getModelVersion(name: string, version: number): Promise<ModelVersion> {
    return this.version(name, version);
  }

  async searchModelVersions(_query: SearchModelVersionsQuery): Promise<Page<ModelVersion>> {
    return { items: [] };
  }

  async setAlias(): Promise<void> {}

  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return { ...this.version(name, 1), aliases: [alias] };
  }

  async deleteAlias(): Promise<void> {}

  private version(name: string, version: number, request?: CreateModelVersionRequest): ModelVersion {
    const now = this.clock();
    return {
      name, version, source: request?.source ?? '', runId: request?.runId, status: 'READY', creationTimestamp: now,
      lastUpdatedTimestamp: now, description: request?.description, tags: { ...request?.tags }, aliases: [],
    };
  }
}
