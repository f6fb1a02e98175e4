import type { CreateModelVersionRequest, ModelVersion, RegisteredModel, SearchModelVersionsQuery } from '../../../domain/model/model-version';
import type { Page } from '../../../domain/model/run';
import type { IModelRegistry } from '../../../domain/ports/model-registry';

/**
 * IModelRegistry that stores nothing: every call succeeds. New versions get increasing numbers per model
 * (so a job that reads back `version` sees 1, 2, 3 …), lookups return a well-formed version 1 pointing
 * nowhere, and `getLatestVersion` reports none.
 *
 * @example
 * const registry = new NoOpModelRegistry();
 * const v = await registry.createModelVersion({ name: 'churn', source: 'runs:/abc/model' }); // v.version === 1
 */
export class NoOpModelRegistry implements IModelRegistry {
  readonly serviceName = 'registry:noop';
  private readonly counters = new Map<string, number>();

  constructor(private readonly options: { clock?: () => number } = {}) {}

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async createRegisteredModel(name: string, options: { description?: string; tags?: Record<string, string> } = {}): Promise<RegisteredModel> {
    const now = this.now();
    return { name, creationTimestamp: now, lastUpdatedTimestamp: now, description: options.description, tags: { ...options.tags }, aliases: [] };
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return this.createRegisteredModel(name);
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

  async getLatestVersion(_name: string): Promise<ModelVersion | undefined> {
    return undefined;
  }

  async setAlias(_name: string, _alias: string, _version: number): Promise<void> {}

  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return { ...this.version(name, 1), aliases: [alias] };
  }

  async deleteAlias(_name: string, _alias: string): Promise<void> {}

  private version(name: string, version: number, request?: CreateModelVersionRequest): ModelVersion {
    const now = this.now();
    return {
      name, version, source: request?.source ?? '', runId: request?.runId, status: 'READY', creationTimestamp: now,
      lastUpdatedTimestamp: now, description: request?.description, tags: { ...request?.tags }, aliases: [],
    };
  }

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }
}
