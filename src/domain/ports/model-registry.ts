import type {
  CreateModelVersionRequest,
  ModelVersion,
  RegisteredModel,
  SearchModelVersionsQuery,
} from '../model/model-version';
import type { Page } from '../model/run';
import type { Service } from './service';

/**
 * Model registry port (MLflow's registry API with aliases). Not-found cases throw NotFoundError with
 * the codes MODEL_NOT_FOUND, MODEL_VERSION_NOT_FOUND or MODEL_ALIAS_NOT_FOUND; aliases are checked
 * with `assertValidAlias` before any call.
 *
 * @example
 * await registry.setAlias('churn', 'Champion', 3);
 * const { source } = await registry.getVersionByAlias('churn', 'Champion');
 */
export interface IModelRegistry extends Service {
  /** Creates the model, or returns it when it already exists (idempotent). */
  createRegisteredModel(name: string, options?: { description?: string; tags?: Record<string, string> }): Promise<RegisteredModel>;
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion>;
  getModelVersion(name: string, version: number): Promise<ModelVersion>;
  searchModelVersions(query: SearchModelVersionsQuery): Promise<Page<ModelVersion>>;
  /** The version with the highest number, or undefined when the model has none. */
  getLatestVersion(name: string): Promise<ModelVersion | undefined>;
  setAlias(name: string, alias: string, version: number): Promise<void>;
  getVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
  deleteAlias(name: string, alias: string): Promise<void>;
}
