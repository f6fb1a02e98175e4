import type { StoreHealth } from './store-health';
import type { ServiceStartOptions } from '../../../domain/ports/service';
import type { CreateModelVersionRequest, ModelVersion, RegisteredModel, SearchModelVersionsQuery } from '../../../domain/model/model-version';
import type { Page } from '../../../domain/model/run';

/**
 * Persistence for the model registry: MLflow REST, the local file store, memory, no-op. The RegistryClient
 * owns the rules (names, aliases and tag keys checked, idempotent model creation, "latest version"); a store
 * only reads and writes, throwing NotFoundError with MODEL_NOT_FOUND / MODEL_VERSION_NOT_FOUND /
 * MODEL_ALIAS_NOT_FOUND for what is missing.
 *
 * @example const registry = new RegistryClient(new MemoryRegistryStore());
 */
export interface RegistryStore {
  /** For log lines and errors, never with credentials. */
  readonly description: string;
  /** First contact; `required`: no fallback (a spill layer rethrows the server's error instead of degrading). */
  open(options?: ServiceStartOptions): Promise<void>;
  /** A cheap, bounded probe of the backend for health endpoints; never rejects. Absent: nothing to probe. */
  health?(): Promise<StoreHealth>;
  close(): Promise<void>;

  /** Creates the model; answers undefined when one with that name already exists. */
  createRegisteredModel(name: string, options: { description?: string; tags?: Record<string, string> }): Promise<RegisteredModel | undefined>;
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion>;
  getModelVersion(name: string, version: number): Promise<ModelVersion>;
  searchModelVersions(query: SearchModelVersionsQuery): Promise<Page<ModelVersion>>;
  setAlias(name: string, alias: string, version: number): Promise<void>;
  getVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
  deleteAlias(name: string, alias: string): Promise<void>;
}
