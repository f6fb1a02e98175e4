import type { ServiceHealth } from '../../../domain/ports/service-health';
import { healthOf, serviceReport } from './store-health';
import type { ServiceStartOptions } from '../../../domain/ports/service';
import { ErrorCodes, ValidationError } from '../../../domain/errors';
import type { CreateModelVersionRequest, ModelVersion, RegisteredModel, SearchModelVersionsQuery } from '../../../domain/model/model-version';
import { assertValidAlias, assertValidKey, assertValidModelName } from '../../../domain/model/naming-rules';
import type { Page } from '../../../domain/model/run';
import type { ILogger } from '../../../domain/ports/logger';
import type { IModelRegistry } from '../../../domain/ports/model-registry';
import { quoteFilterValue } from '../shared/filter-parser';
import type { RegistryStore } from './registry-store';

export interface RegistryClientOptions {
  logger?: ILogger;
  /** For the runtime's logs, e.g. `registry:mlflow`. */
  serviceName?: string;
}

/**
 * The one IModelRegistry: names, aliases, versions and tag keys are checked before any store call;
 * creating a model is idempotent (a store that says "exists" is asked for the existing one); "latest
 * version" is one rule for every store (a search by name, `version_number DESC`, one result, then a get for
 * its aliases); `start()` opens the store, `stop()` closes it, and `start()` again reopens it.
 *
 * @example
 * const registry = new RegistryClient(new MemoryRegistryStore());
 * await registry.createRegisteredModel('churn');
 * const v = await registry.createModelVersion({ name: 'churn', source: `runs:/${runId}/model`, runId });
 * await registry.setAlias('churn', 'Champion', v.version);
 */
export class RegistryClient implements IModelRegistry {
  readonly serviceName: string;
  private opening: Promise<void> | undefined;

  constructor(private readonly store: RegistryStore, private readonly options: RegistryClientOptions = {}) {
    this.serviceName = options.serviceName ?? 'registry';
  }

  async start(options: ServiceStartOptions = {}): Promise<void> {
    if (this.opening) return this.opening;
    await this.open(options);
    this.options.logger?.info(`Model registry at ${this.store.description}`);
  }

  /** The backend's report (reachable, MLflow generation, spilling and what waits to be synced); never rejects. */
  async health(): Promise<ServiceHealth> {
    return serviceReport(await healthOf(this.store), this.opening !== undefined);
  }

  async stop(): Promise<void> {
    if (this.opening === undefined) return;
    this.opening = undefined;
    await this.store.close();
  }

  async createRegisteredModel(name: string, options: { description?: string; tags?: Record<string, string> } = {}): Promise<RegisteredModel> {
    assertValidModelName(name);
    checkTagKeys(options.tags);
    await this.open();
    return (await this.store.createRegisteredModel(name, options)) ?? this.store.getRegisteredModel(name);
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    assertValidModelName(name);
    await this.open();
    return this.store.getRegisteredModel(name);
  }

  async createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion> {
    assertValidModelName(request.name);
    if (typeof request.source !== 'string' || request.source.trim() === '') {
      throw new ValidationError("A model version needs a source: runs:/<run_id>/<path>, s3://…, or a path inside the run's artifact directory.", ErrorCodes.VALIDATION);
    }
    checkTagKeys(request.tags);
    await this.open();
    return this.store.createModelVersion(request);
  }

  async getModelVersion(name: string, version: number): Promise<ModelVersion> {
    assertValidModelName(name);
    checkVersion(version);
    await this.open();
    return this.store.getModelVersion(name, version);
  }

  async searchModelVersions(query: SearchModelVersionsQuery): Promise<Page<ModelVersion>> {
    if (query.maxResults !== undefined && (!Number.isInteger(query.maxResults) || query.maxResults < 1)) {
      throw new ValidationError(`maxResults must be a positive whole number, got ${query.maxResults}.`, ErrorCodes.VALIDATION);
    }
    await this.open();
    return this.store.searchModelVersions(query);
  }

  /** Highest version number via search, then a get for its aliases (MLflow's search results carry none). */
  async getLatestVersion(name: string): Promise<ModelVersion | undefined> {
    assertValidModelName(name);
    await this.open();
    const page = await this.store.searchModelVersions({ filter: `name=${quoteFilterValue(name)}`, orderBy: ['version_number DESC'], maxResults: 1 });
    const latest = page.items[0];
    return latest ? this.store.getModelVersion(name, latest.version) : undefined;
  }

  async setAlias(name: string, alias: string, version: number): Promise<void> {
    assertValidModelName(name);
    assertValidAlias(alias);
    checkVersion(version);
    await this.open();
    await this.store.setAlias(name, alias, version);
  }

  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    assertValidModelName(name);
    assertValidAlias(alias);
    await this.open();
    return this.store.getVersionByAlias(name, alias);
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    assertValidModelName(name);
    assertValidAlias(alias);
    await this.open();
    await this.store.deleteAlias(name, alias);
  }

  /** Opens the store once (also for a call before `start()`); a failed open is tried again next time. */
  private open(options: ServiceStartOptions = {}): Promise<void> {
    this.opening ??= this.store.open(options).catch((error: unknown) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }
}

function checkTagKeys(tags: Record<string, string> | undefined): void {
  for (const key of Object.keys(tags ?? {})) assertValidKey('tag', key);
}

function checkVersion(version: number): void {
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new ValidationError(`Invalid model version ${JSON.stringify(version)}: versions are whole numbers from 1.`, ErrorCodes.VALIDATION, { details: { version } });
  }
}
