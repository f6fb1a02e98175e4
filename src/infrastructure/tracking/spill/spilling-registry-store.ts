import { healthOf, type StoreHealth } from '../client/store-health';
import type { ServiceStartOptions } from '../../../domain/ports/service';
import { TrackerUnavailableError } from '../../../domain/errors';
import { loggedModelIdOf } from '../../../domain/model/naming-rules';
import type { CreateModelVersionRequest, ModelVersion, RegisteredModel, SearchModelVersionsQuery } from '../../../domain/model/model-version';
import type { Page } from '../../../domain/model/run';
import type { RegistryStore } from '../client/registry-store';
import type { SpillLedger } from './spill-ledger';

export interface SpillingRegistryStoreOptions {
  primary: RegistryStore;
  /** The registry store in the spill directory; opened on first use. */
  spill: RegistryStore;
  ledger: SpillLedger;
}

/**
 * The registry half of `tracking.onUnavailable: spill`, as a RegistryStore layer with the same one policy:
 * a write the server answers with TrackerUnavailableError (register a model, create a version, set or
 * delete an alias) goes to the spill store, which `mlops-kit sync` replays in order. Once anything of a
 * model was written there, reads of that model come from the spill store too, so a job sees its own writes
 * (a training job that registers, then a promotion that reads it back).
 *
 * @example const registry = new RegistryClient(new SpillingRegistryStore({ primary: new MlflowRegistryStore(settings, rest), spill: new LocalRegistryStore(settings.spillDir), ledger }));
 */
export class SpillingRegistryStore implements RegistryStore {
  private spillOpening: Promise<void> | undefined;
  private degraded = false;
  private readonly spilledModels = new Set<string>();

  constructor(private readonly options: SpillingRegistryStoreOptions) {}

  get description(): string {
    return this.options.primary.description;
  }

  /** `required` (the app named the registry at boot): the server's error is thrown, nothing spills. */
  async open(options: ServiceStartOptions = {}): Promise<void> {
    try {
      await this.options.primary.open();
    } catch (error) {
      if (!(error instanceof TrackerUnavailableError) || options.required === true) throw error;
      this.degraded = true;
      this.options.ledger.note(error);
    }
  }

  /** The server's report, plus whether writes spill now and how many registry writes this process spilled. */
  async health(): Promise<StoreHealth> {
    const primary = await healthOf(this.options.primary);
    return { ...primary, spilling: this.degraded || primary.unreachable === true, pendingSync: this.options.ledger.registryWrites };
  }

  async close(): Promise<void> {
    await this.options.primary.close().catch((error: unknown) => {
      if (!(error instanceof TrackerUnavailableError)) throw error;
    });
    if (this.spillOpening) await this.options.spill.close();
    this.spillOpening = undefined;
    this.degraded = false;
    this.spilledModels.clear();
  }

  createRegisteredModel(name: string, options: { description?: string; tags?: Record<string, string> }): Promise<RegisteredModel | undefined> {
    return this.write(name, (r) => r.createRegisteredModel(name, options));
  }

  createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion> {
    // a version of a logged model that lives in the spill store goes there too: the server does not know the model
    const modelId = request.modelId ?? loggedModelIdOf(request.source);
    if (modelId !== undefined && this.options.ledger.loggedModels.has(modelId)) this.spilledModels.add(request.name);
    // the model itself must exist in the spill store before a version can be added there
    return this.write(request.name, async (r, spilled) => {
      if (spilled) await r.createRegisteredModel(request.name, {});
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

  getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return this.read(name, (r) => r.getVersionByAlias(name, alias));
  }

  private async write<T>(model: string, fn: (registry: RegistryStore, spilled: boolean) => Promise<T>): Promise<T> {
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

  private async read<T>(model: string | undefined, fn: (registry: RegistryStore) => Promise<T>): Promise<T> {
    const local = this.degraded || (model !== undefined && this.spilledModels.has(model));
    return fn(local ? await this.spillStore() : this.options.primary);
  }

  private async spillStore(): Promise<RegistryStore> {
    this.spillOpening ??= this.options.spill.open().catch((error: unknown) => {
      this.spillOpening = undefined;
      throw error;
    });
    await this.spillOpening;
    return this.options.spill;
  }
}
