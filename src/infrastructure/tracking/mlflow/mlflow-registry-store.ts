import { mlflowServerHealth } from './mlflow-health';
import type { StoreHealth } from '../client/store-health';
import { ConflictError, ErrorCodes, NotFoundError, ValidationError } from '../../../domain/errors';
import type { CreateModelVersionRequest, ModelVersion, RegisteredModel, SearchModelVersionsQuery } from '../../../domain/model/model-version';
import type { Page } from '../../../domain/model/run';
import type { RegistryStore } from '../client/registry-store';
import { createModelVersionOnce } from './idempotent-create';
import type { MlflowSettings } from './mlflow-settings';
import { assertLocalSourceInRun, isLocalSource } from './model-source';
import { toModelVersion, toPairs, toRegisteredModel, type WireModelVersion, type WireRegisteredModel, type WireRunInfo } from './proto-mapping';
import type { MlflowRestClient } from './rest-client';

/**
 * A RegistryStore over MLflow's model-registry REST API, following its real wire behaviour: "already
 * exists" is a 400 (answered here as undefined), model-versions/search is GET-only with repeated query keys
 * and returns no aliases, and a missing alias is a 400 INVALID_PARAMETER_VALUE, which comes out as
 * NotFoundError(MODEL_ALIAS_NOT_FOUND). A local source path must lie inside its run's artifact directory
 * (the server checks the same). `open()` is the short first contact, shared with the tracker of the same URI.
 *
 * @example const registry = new RegistryClient(new MlflowRegistryStore(settings, new MlflowRestClient(settings, { baseUri: settings.registryUri })));
 */
export class MlflowRegistryStore implements RegistryStore {
  readonly description: string;

  constructor(
    settings: MlflowSettings,
    private readonly client: MlflowRestClient,
  ) {
    this.description = `MLflow ${settings.registryUri}`;
  }

  async open(): Promise<void> {
    await this.client.probe();
  }

  health(): Promise<StoreHealth> {
    return mlflowServerHealth(this.client, this.description);
  }

  async close(): Promise<void> {
    this.client.close();
  }

  async createRegisteredModel(name: string, options: { description?: string; tags?: Record<string, string> }): Promise<RegisteredModel | undefined> {
    try {
      const answer = await this.client.request<{ registered_model: WireRegisteredModel }>('POST', 'registered-models/create', {
        expect: 'registered_model',
        body: { name, description: options.description, tags: options.tags ? toPairs(options.tags) : undefined },
      });
      return toRegisteredModel(answer.registered_model);
    } catch (error) {
      // MLflow answers 400 RESOURCE_ALREADY_EXISTS
      if (error instanceof ConflictError && error.code === ErrorCodes.ALREADY_EXISTS) return undefined;
      throw error;
    }
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    const answer = await this.client.request<{ registered_model: WireRegisteredModel }>('GET', 'registered-models/get', {
      expect: 'registered_model',
      query: { name },
      notFoundCode: ErrorCodes.MODEL_NOT_FOUND,
    });
    return toRegisteredModel(answer.registered_model);
  }

  async createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion> {
    if (isLocalSource(request.source)) {
      const artifactUri = request.runId ? await this.runArtifactUri(request.runId) : undefined;
      assertLocalSourceInRun(request.source, request.runId, artifactUri);
    }
    // one version however often the request is retried (see idempotent-create.ts)
    const created = await createModelVersionOnce(this.client, {
      name: request.name, source: request.source, run_id: request.runId, model_id: request.modelId, description: request.description, tags: request.tags ? toPairs(request.tags) : undefined,
    });
    return toModelVersion(created);
  }

  async getModelVersion(name: string, version: number): Promise<ModelVersion> {
    const answer = await this.client.request<{ model_version: WireModelVersion }>('GET', 'model-versions/get', {
      expect: 'model_version',
      query: { name, version: String(version) },
      notFoundCode: ErrorCodes.MODEL_VERSION_NOT_FOUND,
    });
    return toModelVersion(answer.model_version);
  }

  /** GET only (MLflow has no POST route for it); `orderBy` becomes repeated `order_by` keys. Results carry no aliases. */
  async searchModelVersions(query: SearchModelVersionsQuery): Promise<Page<ModelVersion>> {
    const answer = await this.client.request<{ model_versions?: WireModelVersion[]; next_page_token?: string }>('GET', 'model-versions/search', {
      query: { filter: query.filter, max_results: query.maxResults, order_by: query.orderBy, page_token: query.pageToken },
    });
    return { items: (answer.model_versions ?? []).map(toModelVersion), nextPageToken: answer.next_page_token || undefined };
  }

  async setAlias(name: string, alias: string, version: number): Promise<void> {
    try {
      await this.client.request('POST', 'registered-models/alias', { body: { name, alias, version: String(version) }, notFoundCode: ErrorCodes.MODEL_NOT_FOUND });
    } catch (error) {
      throw await this.whichIsMissing(error, name);
    }
  }

  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    try {
      const answer = await this.client.request<{ model_version: WireModelVersion }>('GET', 'registered-models/alias', {
        expect: 'model_version',
        query: { name, alias },
        notFoundCode: ErrorCodes.MODEL_NOT_FOUND,
      });
      return toModelVersion(answer.model_version);
    } catch (error) {
      // MLflow reports a missing alias as 400 INVALID_PARAMETER_VALUE (the client validated the inputs)
      if (error instanceof ValidationError) {
        throw new NotFoundError(`Model "${name}" has no alias "${alias}". Set it with setAlias first. (${error.message})`, ErrorCodes.MODEL_ALIAS_NOT_FOUND, {
          details: { ...error.details, name, alias },
          cause: error.cause,
        });
      }
      throw error;
    }
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.client.request('DELETE', 'registered-models/alias', { body: { name, alias }, notFoundCode: ErrorCodes.MODEL_NOT_FOUND });
  }

  /**
   * One route answers RESOURCE_DOES_NOT_EXIST for a missing model and for a missing version, worded
   * differently by each MLflow version: whether the model exists tells which (by state, never by message).
   */
  private async whichIsMissing(error: unknown, name: string): Promise<unknown> {
    if (!(error instanceof NotFoundError)) return error;
    const modelExists = await this.getRegisteredModel(name).then(() => true, () => false);
    if (!modelExists) return error;
    return new NotFoundError(error.message, ErrorCodes.MODEL_VERSION_NOT_FOUND, { details: error.details, cause: error.cause });
  }

  private async runArtifactUri(runId: string): Promise<string> {
    const answer = await this.client.request<{ run: { info: WireRunInfo } }>('GET', 'runs/get', {
      expect: 'run',
      query: { run_id: runId },
      notFoundCode: ErrorCodes.RUN_NOT_FOUND,
    });
    return answer.run.info.artifact_uri ?? '';
  }
}
