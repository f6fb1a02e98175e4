import { ConflictError, ErrorCodes, NotFoundError, ValidationError } from '../../../domain/errors';
import type { CreateModelVersionRequest, ModelVersion, RegisteredModel, SearchModelVersionsQuery } from '../../../domain/model/model-version';
import { assertValidAlias, assertValidKey, assertValidModelName } from '../../../domain/model/naming-rules';
import type { Page } from '../../../domain/model/run';
import type { ILogger } from '../../../domain/ports/logger';
import type { IModelRegistry } from '../../../domain/ports/model-registry';
import { createModelVersionOnce } from './idempotent-create';
import type { MlflowSettings } from './mlflow-settings';
import { assertLocalSourceInRun, isLocalSource } from './model-source';
import { toModelVersion, toPairs, toRegisteredModel, type WireModelVersion, type WireRegisteredModel, type WireRunInfo } from './proto-mapping';
import { MlflowRestClient, type RestClientOptions } from './rest-client';

export interface MlflowRegistryDeps {
  logger?: ILogger;
  rest?: Omit<RestClientOptions, 'baseUri' | 'logger'>;
}

/**
 * IModelRegistry over MLflow's model-registry REST API (MLFLOW_REGISTRY_URI, default the tracking URI).
 * Follows MLflow's real wire behaviour: "already exists" is a 400, model-versions/search is GET-only with
 * repeated query keys and returns no aliases, and a missing alias is a 400 INVALID_PARAMETER_VALUE, which
 * comes out here as NotFoundError(MODEL_ALIAS_NOT_FOUND). Names and aliases are checked before any call.
 *
 * @example
 * const registry = new MlflowModelRegistry(settings, { logger });
 * await registry.createRegisteredModel('churn');
 * const v = await registry.createModelVersion({ name: 'churn', source: `runs:/${runId}/model`, runId });
 * await registry.setAlias('churn', 'Champion', v.version);
 */
export class MlflowModelRegistry implements IModelRegistry {
  readonly serviceName = 'registry:mlflow';
  readonly client: MlflowRestClient;
  private started = false;

  constructor(private readonly settings: MlflowSettings, private readonly deps: MlflowRegistryDeps = {}) {
    this.client = new MlflowRestClient(settings, { ...deps.rest, baseUri: settings.registryUri, logger: deps.logger });
  }

  /** Checks that the registry's server answers like MLflow (a short first contact, shared with the tracker), so a wrong URI fails at start, not mid-job. */
  async start(): Promise<void> {
    if (this.started) return;
    await this.client.probe();
    this.started = true;
    this.deps.logger?.info(`Model registry at MLflow ${this.settings.registryUri}`);
  }

  async stop(): Promise<void> {
    this.started = false;
    this.client.close();
  }

  async createRegisteredModel(name: string, options: { description?: string; tags?: Record<string, string> } = {}): Promise<RegisteredModel> {
    assertValidModelName(name);
    for (const key of Object.keys(options.tags ?? {})) assertValidKey('tag', key);
    try {
      const answer = await this.client.request<{ registered_model: WireRegisteredModel }>('POST', 'registered-models/create', {
      expect: 'registered_model',
        body: { name, description: options.description, tags: options.tags ? toPairs(options.tags) : undefined },
      });
      return toRegisteredModel(answer.registered_model);
    } catch (error) {
      // MLflow answers 400 RESOURCE_ALREADY_EXISTS; creating is idempotent here
      if (error instanceof ConflictError && error.code === ErrorCodes.ALREADY_EXISTS) return this.getRegisteredModel(name);
      throw error;
    }
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    assertValidModelName(name);
    const answer = await this.client.request<{ registered_model: WireRegisteredModel }>('GET', 'registered-models/get', {
      expect: 'registered_model',
      query: { name },
      notFoundCode: ErrorCodes.MODEL_NOT_FOUND,
    });
    return toRegisteredModel(answer.registered_model);
  }

  async createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion> {
    assertValidModelName(request.name);
    if (typeof request.source !== 'string' || request.source.trim() === '') {
      throw new ValidationError('A model version needs a source: runs:/<run_id>/<path>, s3://…, or a path inside the run\'s artifact directory.', ErrorCodes.VALIDATION);
    }
    for (const key of Object.keys(request.tags ?? {})) assertValidKey('tag', key);
    if (isLocalSource(request.source)) {
      const artifactUri = request.runId ? await this.runArtifactUri(request.runId) : undefined;
      assertLocalSourceInRun(request.source, request.runId, artifactUri);
    }
    // one version however often the request is retried (see idempotent-create.ts)
    const created = await createModelVersionOnce(this.client, {
      name: request.name, source: request.source, run_id: request.runId, description: request.description, tags: request.tags ? toPairs(request.tags) : undefined,
    });
    return toModelVersion(created);
  }

  async getModelVersion(name: string, version: number): Promise<ModelVersion> {
    assertValidModelName(name);
    const answer = await this.client.request<{ model_version: WireModelVersion }>('GET', 'model-versions/get', {
      expect: 'model_version',
      query: { name, version: versionString(version) },
      notFoundCode: ErrorCodes.MODEL_VERSION_NOT_FOUND,
    });
    return toModelVersion(answer.model_version);
  }

  /** GET only (MLflow has no POST route for it); `orderBy` becomes repeated `order_by` keys. Results carry no aliases. */
  async searchModelVersions(query: SearchModelVersionsQuery): Promise<Page<ModelVersion>> {
    if (query.maxResults !== undefined && (!Number.isInteger(query.maxResults) || query.maxResults < 1)) {
      throw new ValidationError(`maxResults must be a positive whole number, got ${query.maxResults}.`, ErrorCodes.VALIDATION);
    }
    const answer = await this.client.request<{ model_versions?: WireModelVersion[]; next_page_token?: string }>('GET', 'model-versions/search', {
      query: { filter: query.filter, max_results: query.maxResults, order_by: query.orderBy, page_token: query.pageToken },
    });
    return { items: (answer.model_versions ?? []).map(toModelVersion), nextPageToken: answer.next_page_token || undefined };
  }

  /** Highest version number via search, then a get for its aliases (search results have none). */
  async getLatestVersion(name: string): Promise<ModelVersion | undefined> {
    assertValidModelName(name);
    const page = await this.searchModelVersions({ filter: `name=${quoteFilterValue(name)}`, orderBy: ['version_number DESC'], maxResults: 1 });
    const latest = page.items[0];
    return latest ? this.getModelVersion(name, latest.version) : undefined;
  }

  async setAlias(name: string, alias: string, version: number): Promise<void> {
    assertValidModelName(name);
    assertValidAlias(alias);
    try {
      await this.client.request('POST', 'registered-models/alias', { body: { name, alias, version: versionString(version) }, notFoundCode: ErrorCodes.MODEL_NOT_FOUND });
    } catch (error) {
      throw await this.whichIsMissing(error, name);
    }
  }

  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    assertValidModelName(name);
    assertValidAlias(alias);
    try {
      const answer = await this.client.request<{ model_version: WireModelVersion }>('GET', 'registered-models/alias', {
      expect: 'model_version',
        query: { name, alias },
        notFoundCode: ErrorCodes.MODEL_NOT_FOUND,
      });
      return toModelVersion(answer.model_version);
    } catch (error) {
      // MLflow reports a missing alias as 400 INVALID_PARAMETER_VALUE (the inputs were already validated here)
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
    assertValidModelName(name);
    assertValidAlias(alias);
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
      expect: 'run', query: { run_id: runId }, notFoundCode: ErrorCodes.RUN_NOT_FOUND });
    return answer.run.info.artifact_uri ?? '';
  }
}

function versionString(version: number): string {
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new ValidationError(`Invalid model version ${JSON.stringify(version)}: versions are whole numbers from 1.`, ErrorCodes.VALIDATION, { details: { version } });
  }
  return String(version);
}

/** A string literal for MLflow's filter syntax: single quotes, or double quotes when the value holds one. */
export function quoteFilterValue(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  throw new ValidationError(`Cannot search for ${JSON.stringify(value)}: MLflow filters cannot quote a value holding both ' and ".`, ErrorCodes.VALIDATION);
}
