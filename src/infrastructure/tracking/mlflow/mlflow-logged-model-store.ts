import { ErrorCodes, TrackerUnavailableError } from '../../../domain/errors';
import type { DatasetInput, LoggedModel, LoggedModelStatus, ModelOutput } from '../../../domain/model/logged-model';
import type { LoggedModelStore, NewLoggedModel } from '../client/logged-model-store';
import { datasetInputToWire, loggedModelStatusToWire, newLoggedModelToWire, pairs, toLoggedModel } from './logged-model-mapping';
import type { MlflowRestClient } from './rest-client';

/**
 * Params per request, as MLflow's Python client sends them (MLFLOW_CREATE_LOGGED_MODEL_PARAMS_BATCH_SIZE and
 * MLFLOW_LOG_LOGGED_MODEL_PARAMS_BATCH_SIZE, both 100): the first batch rides on the create, the rest
 * go to `logged-models/<id>/params`.
 *
 * @example const requests = 1 + Math.ceil(Math.max(0, paramCount - LOGGED_MODEL_PARAMS_PER_REQUEST) / LOGGED_MODEL_PARAMS_PER_REQUEST);
 */
export const LOGGED_MODEL_PARAMS_PER_REQUEST = 100;

/**
 * The MLflow 3 parts of the MLflow REST store: logged models (`POST logged-models`, `PATCH`/`GET
 * logged-models/<id>`), a run's model outputs (`POST runs/outputs`) and dataset inputs (`POST
 * runs/log-inputs`, which 2.x servers have too). Whether the server has logged models is asked once per
 * server URI (MlflowRestClient.serverGeneration, shared through ServerHealth), never per call.
 *
 * @example
 * const models = new MlflowLoggedModelStore(client);
 * if (await models.supported()) {
 *   const pending = await models.create({ experimentId, name: 'model', sourceRunId: runId, params: {}, tags: {} });
 *   await createArtifactStore(pending.artifactUri, { trackingUri: client.baseUri, http: client.http }).upload('./out/model');
 *   await models.finalize(pending.modelId!, 'READY');
 *   await models.logOutputs(runId, [{ modelId: pending.modelId!, step: 0 }]);
 * }
 */
export class MlflowLoggedModelStore implements LoggedModelStore {
  constructor(private readonly client: MlflowRestClient) {}

  async supported(): Promise<boolean> {
    const generation = await this.client.serverGeneration();
    if (generation === undefined) {
      // asked again on the next call: the answer is only remembered once the server gave one
      throw new TrackerUnavailableError(
        `Cannot tell whether the MLflow server at ${this.client.baseUri} has logged models (MLflow 3.x): it did not answer POST logged-models/search. Check that the server is up.`,
        ErrorCodes.TRACKER_UNAVAILABLE,
        { details: { route: 'logged-models/search', uri: this.client.baseUri } },
      );
    }
    return generation === 3;
  }

  async create(model: NewLoggedModel): Promise<LoggedModel> {
    const all = pairs(model.params);
    const first = all.slice(0, LOGGED_MODEL_PARAMS_PER_REQUEST);
    const answer = await this.client.request<{ model: unknown }>('POST', 'logged-models', {
      body: newLoggedModelToWire(model, first),
      expect: 'model',
      notFoundCode: ErrorCodes.EXPERIMENT_NOT_FOUND,
    });
    const created = toLoggedModel(answer.model, 'logged-models');
    if (all.length <= first.length) return created;
    const id = created.modelId!;
    for (let i = first.length; i < all.length; i += LOGGED_MODEL_PARAMS_PER_REQUEST) {
      await this.client.request('POST', `${modelRoute(id)}/params`, {
        body: { model_id: id, params: all.slice(i, i + LOGGED_MODEL_PARAMS_PER_REQUEST) },
        notFoundCode: ErrorCodes.MODEL_NOT_FOUND,
      });
    }
    return this.get(id);
  }

  async finalize(modelId: string, status: Exclude<LoggedModelStatus, 'PENDING'>): Promise<LoggedModel> {
    const route = modelRoute(modelId);
    const answer = await this.client.request<{ model: unknown }>('PATCH', route, {
      body: { model_id: modelId, status: loggedModelStatusToWire(status) },
      expect: 'model',
      notFoundCode: ErrorCodes.MODEL_NOT_FOUND,
    });
    return toLoggedModel(answer.model, route);
  }

  async get(modelId: string): Promise<LoggedModel> {
    const route = modelRoute(modelId);
    const answer = await this.client.request<{ model: unknown }>('GET', route, { expect: 'model', notFoundCode: ErrorCodes.MODEL_NOT_FOUND });
    return toLoggedModel(answer.model, route);
  }

  async logOutputs(runId: string, outputs: ModelOutput[]): Promise<void> {
    if (outputs.length === 0) return;
    await this.client.request('POST', 'runs/outputs', {
      body: { run_id: runId, models: outputs.map((o) => ({ model_id: o.modelId, step: o.step })) },
      notFoundCode: ErrorCodes.RUN_NOT_FOUND,
    });
  }

  async logInputs(runId: string, inputs: DatasetInput[]): Promise<void> {
    const unique = dedupe(inputs);
    if (unique.length === 0) return;
    await this.client.request('POST', 'runs/log-inputs', {
      body: { run_id: runId, datasets: unique.map(datasetInputToWire) },
      notFoundCode: ErrorCodes.RUN_NOT_FOUND,
    });
  }

  async recordRunModel(runId: string, modelJson: string): Promise<void> {
    await this.client.request('POST', 'runs/log-model', { body: { run_id: runId, model_json: modelJson }, notFoundCode: ErrorCodes.RUN_NOT_FOUND });
  }
}

/** `logged-models/<id>`; the id is a path segment, so it is escaped (an id is `m-<hex>`, but it comes from callers). */
function modelRoute(modelId: string): string {
  return `logged-models/${encodeURIComponent(modelId)}`;
}

/** The first input of each name + digest, as MLflow's stores keep it (a second copy's tags are dropped). */
function dedupe(inputs: DatasetInput[]): DatasetInput[] {
  const seen = new Map<string, DatasetInput>();
  for (const input of inputs) {
    const key = JSON.stringify([input.dataset.name, input.dataset.digest]);
    if (!seen.has(key)) seen.set(key, input);
  }
  return [...seen.values()];
}
