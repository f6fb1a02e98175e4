import { TrackerUnavailableError } from '../../../domain/errors';
import type { CreateModelVersionRequest, ModelVersion, RegisteredModel, SearchModelVersionsQuery } from '../../../domain/model/model-version';
import type { Page } from '../../../domain/model/run';
import type { IModelRegistry } from '../../../domain/ports/model-registry';
import type { SpillLedger } from './spill-ledger';

export interface SpillingModelRegistryOptions {
  primary: IModelRegistry;
  /** A registry over the spill directory (a LocalModelRegistry); created lazily, started on first use. */
  createSpillStore: () => IModelRegistry;
  ledger: SpillLedger;
}

/**
 * The registry half of `tracking.onUnavailable: spill`. Writes the server cannot take (register a model,
 * create a version, set or delete an alias) go to the spill store, which `mlops-kit sync` replays in
 * order; once anything was written there, reads of that model come from the spill store too, so a job
 * sees its own writes (a training job that registers, then a promotion that reads it back).
 *
 * @example
 * const registry = new SpillingModelRegistry({ primary: new MlflowModelRegistry(settings), createSpillStore: () => new LocalModelRegistry({ root: settings.spillDir }), ledger });
 */
export class SpillingModelRegistry implements IModelRegistry {
  readonly serviceName: string;
  private spill: Promise<IModelRegistry> | undefined;
  private degraded = false;
  private readonly spilledModels = new Set<string>();

  constructor(private readonly options: SpillingModelRegistryOptions) {
    this.serviceName = options.primary.serviceName;
  }

  async start(): Promise<void> {
    try {
      await this.options.primary.start();
    } catch (error) {
      if (!(error instanceof TrackerUnavailableError)) throw error;
      this.degraded = true;
      this.options.ledger.note(error);
    }
  }

  async stop(): Promise<void> {
    await this.options.primary.stop().catch((error: unknown) => {
      if (!(error instanceof TrackerUnavailableError)) throw error;
    });
    if (this.spill) await (await this.spill).stop();
    this.spill = undefined;
    this.degraded = false;
    this.spilledModels.clear();
  }

  createRegisteredModel(name: string, options?: { description?: string; tags?: Record<string, string> }): Promise<RegisteredModel> {
    return this.write(name, (r) => r.createRegisteredModel(name, options));
  }

  async createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion> {
    // the model itself must exist in the spill store before a version can be added there
    return this.write(request.name, async (r, spilled) => {
      if (spilled) await r.createRegisteredModel(request.name);
      return r.createModelVersion(request);
    });
  }

  setAlias(name: string, alias: string, version: number): Promise<void> {
    return this.write(name, (r) => r.setAlias(name, alias, version));
  }

  deleteAlias(name: string, alias: string): Promise<void> {
    return this.write(name, (r) => r.deleteAlias(name, alias));
  }

  getRegisteredModel(name: string): Promise<RegisteredModel> {
    return this.read(name, (r) => r.getRegisteredModel(name));
  }

  getModelVersion(name: string, version: number): Promise<ModelVersion> {
    return this.read(name, (r) => r.getModelVersion(name, version));
  }

  searchModelVersions(query: SearchModelVersionsQuery): Promise<Page<ModelVersion>> {
    const name = /name\s*=\s*'([^']+)'/.exec(query.filter ?? '')?.[1];
    return this.read(name, (r) => r.searchModelVersions(query));
  }

  getLatestVersion(name: string): Promise<ModelVersion | undefined> {
    return this.read(name, (r) => r.getLatestVersion(name));
  }

  getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return this.read(name, (r) => r.getVersionByAlias(name, alias));
  }

  private async write<T>(model: string, fn: (registry: IModelRegistry, spilled: boolean) => Promise<T>): Promise<T> {
    if (!this.degraded && !this.spilledModels.has(model)) {
      try {
        return await fn(this.options.primary, false);
      } catch (error) {
        if (!(error instanceof TrackerUnavailableError)) throw error;
        this.options.ledger.note(error);
      }
    }
    this.spilledModels.add(model);
    this.options.ledger.registryWrites++;
    return fn(await this.spillStore(), true);
  }

  private async read<T>(model: string | undefined, fn: (registry: IModelRegistry) => Promise<T>): Promise<T> {
    const local = this.degraded || (model !== undefined && this.spilledModels.has(model));
    return fn(local ? await this.spillStore() : this.options.primary);
  }

  private spillStore(): Promise<IModelRegistry> {
    this.spill ??= (async () => {
      const store = this.options.createSpillStore();
      await store.start();
      return store;
    })();
    return this.spill;
  }
}
