import type { DatasetInput, LoggedModel, LoggedModelStatus, ModelOutput } from '../../../domain/model/logged-model';
import type { RunInputs, RunOutputs } from '../../../domain/model/run';
import type { NewLoggedModel } from '../client/logged-model-store';
import { keyValues, list, malformed, object, optionalNumber, optionalString, string } from './wire-readers';

/**
 * MLflow 3's logged-model and run input/output messages (protos/service.proto: LoggedModel,
 * LoggedModelInfo, LoggedModelData, RunInputs, RunOutputs, DatasetInput, ModelOutput) and their mapping
 * to domain types. As everywhere on MLflow's wire: int64 are numbers, enums are names, and an empty
 * repeated field (or an empty message's fields) is left out, so every list here is read as `[]` when
 * missing. A field of the wrong shape is the server answering nonsense: a TrackerUnavailableError
 * naming the route and the field path, never a TypeError.
 */

/** @example const tag: WireKeyValue = { key: 'team', value: 'bikes' }; */
export interface WireKeyValue {
  key: string;
  value: string;
}

/**
 * A LoggedModel message (what create, finalize and get answer under `model`).
 *
 * @example const { info } = answer.model as WireLoggedModel; // info.model_id === 'm-…'
 */
export interface WireLoggedModel {
  info: {
    model_id: string;
    experiment_id: string;
    name: string;
    creation_timestamp_ms?: number;
    last_updated_timestamp_ms?: number;
    artifact_uri: string;
    status?: string;
    model_type?: string;
    source_run_id?: string;
    status_message?: string;
    tags?: WireKeyValue[];
  };
  data?: { params?: WireKeyValue[] };
}

/**
 * A DatasetInput message: the dataset and the input's tags (e.g. `mlflow.data.context`).
 *
 * @example const input: WireDatasetInput = { dataset: { name: 'bikes', digest: 'a1b2', source_type: 'local', source: '{}' } };
 */
export interface WireDatasetInput {
  tags?: WireKeyValue[];
  dataset: { name: string; digest: string; source_type: string; source: string; schema?: string; profile?: string };
}

const STATUS_FROM_WIRE: Record<string, LoggedModelStatus> = {
  LOGGED_MODEL_PENDING: 'PENDING',
  LOGGED_MODEL_READY: 'READY',
  LOGGED_MODEL_UPLOAD_FAILED: 'FAILED',
  // proto2's default for an unset enum: the model exists but nobody said its files are complete
  LOGGED_MODEL_STATUS_UNSPECIFIED: 'PENDING',
};

const STATUS_TO_WIRE: Record<LoggedModelStatus, string> = {
  PENDING: 'LOGGED_MODEL_PENDING',
  READY: 'LOGGED_MODEL_READY',
  FAILED: 'LOGGED_MODEL_UPLOAD_FAILED',
};

/**
 * The wire name of a status, as FinalizeLoggedModel sends it.
 *
 * @example loggedModelStatusToWire('READY'); // 'LOGGED_MODEL_READY'
 */
export function loggedModelStatusToWire(status: LoggedModelStatus): string {
  return STATUS_TO_WIRE[status];
}

/**
 * The CreateLoggedModel body for a new model (params beyond the first `paramsInCreate` go separately,
 * as MLflow's own client sends them: see MlflowLoggedModelStore.create).
 *
 * @example const body = newLoggedModelToWire({ experimentId: '1', name: 'model', params: {}, tags: {} });
 */
export function newLoggedModelToWire(model: NewLoggedModel, params: WireKeyValue[] = pairs(model.params)): Record<string, unknown> {
  return {
    experiment_id: model.experimentId,
    name: model.name,
    model_type: model.modelType,
    source_run_id: model.sourceRunId,
    params: params.length > 0 ? params : undefined,
    tags: Object.keys(model.tags).length > 0 ? pairs(model.tags) : undefined,
  };
}

/**
 * `{a: '1'}` → `[{key: 'a', value: '1'}]`, MLflow's key/value list.
 *
 * @example pairs({ alpha: '0.1' }); // [{ key: 'alpha', value: '0.1' }]
 */
export function pairs(record: Record<string, string>): WireKeyValue[] {
  return Object.entries(record).map(([key, value]) => ({ key, value }));
}

/**
 * A LoggedModel message → the domain's LoggedModel (`modelUri` is `models:/<id>`).
 *
 * @example const model = toLoggedModel(answer.model, 'logged-models');
 */
export function toLoggedModel(value: unknown, route: string, at = 'model'): LoggedModel {
  const model = object(value, route, at);
  const info = object(model.info, route, `${at}.info`);
  const modelId = string(info.model_id, route, `${at}.info.model_id`);
  const statusName = optionalString(info.status, route, `${at}.info.status`) ?? 'LOGGED_MODEL_STATUS_UNSPECIFIED';
  const status = STATUS_FROM_WIRE[statusName];
  if (status === undefined) throw malformed(route, `${at}.info.status`, `one of ${Object.keys(STATUS_FROM_WIRE).join(', ')}`, statusName);
  const created = optionalNumber(info.creation_timestamp_ms, route, `${at}.info.creation_timestamp_ms`) ?? 0;
  const data = model.data === undefined ? {} : object(model.data, route, `${at}.data`);
  return {
    modelId,
    name: string(info.name, route, `${at}.info.name`),
    experimentId: string(info.experiment_id, route, `${at}.info.experiment_id`),
    sourceRunId: optionalString(info.source_run_id, route, `${at}.info.source_run_id`) || undefined,
    artifactUri: string(info.artifact_uri, route, `${at}.info.artifact_uri`),
    modelUri: `models:/${modelId}`,
    status,
    creationTimestamp: created,
    lastUpdatedTimestamp: optionalNumber(info.last_updated_timestamp_ms, route, `${at}.info.last_updated_timestamp_ms`) ?? created,
    modelType: optionalString(info.model_type, route, `${at}.info.model_type`) || undefined,
    params: keyValues(data.params, route, `${at}.data.params`),
    tags: keyValues(info.tags, route, `${at}.info.tags`),
  };
}

/**
 * A DatasetInput as runs/log-inputs sends it.
 *
 * @example const body = { run_id: runId, datasets: inputs.map(datasetInputToWire) };
 */
export function datasetInputToWire(input: DatasetInput): WireDatasetInput {
  const { dataset } = input;
  return {
    tags: Object.keys(input.tags).length > 0 ? pairs(input.tags) : undefined,
    dataset: {
      name: dataset.name,
      digest: dataset.digest,
      source_type: dataset.sourceType,
      source: dataset.source,
      schema: dataset.schema,
      profile: dataset.profile,
    },
  };
}

/**
 * `run.inputs` of a runs/get (or runs/search) answer → Run.inputs. Undefined when the field is absent;
 * a 2.x server sends `{}` (no datasets yet) or `dataset_inputs` only; 3.x may add `model_inputs`, which
 * the domain does not carry.
 *
 * @example run.inputs = parseRunInputs(answer.run.inputs);
 */
export function parseRunInputs(value: unknown, route = 'runs/get', at = 'run.inputs'): RunInputs | undefined {
  if (value === undefined || value === null) return undefined;
  const inputs = object(value, route, at);
  const datasetInputs = list(inputs.dataset_inputs, route, `${at}.dataset_inputs`).map((item, i) => toDatasetInput(item, route, `${at}.dataset_inputs[${i}]`));
  return { datasetInputs };
}

/**
 * `run.outputs` of a runs/get answer (MLflow 3.x only) → Run.outputs; undefined when absent (2.x).
 *
 * @example run.outputs = parseRunOutputs(answer.run.outputs);
 */
export function parseRunOutputs(value: unknown, route = 'runs/get', at = 'run.outputs'): RunOutputs | undefined {
  if (value === undefined || value === null) return undefined;
  const outputs = object(value, route, at);
  const modelOutputs = list(outputs.model_outputs, route, `${at}.model_outputs`).map((item, i): ModelOutput => {
    const where = `${at}.model_outputs[${i}]`;
    const output = object(item, route, where);
    return { modelId: string(output.model_id, route, `${where}.model_id`), step: optionalNumber(output.step, route, `${where}.step`) ?? 0 };
  });
  return { modelOutputs };
}

function toDatasetInput(value: unknown, route: string, at: string): DatasetInput {
  const input = object(value, route, at);
  const dataset = object(input.dataset, route, `${at}.dataset`);
  const field = (name: string): string => string(dataset[name], route, `${at}.dataset.${name}`);
  const optional = (name: string): string | undefined => optionalString(dataset[name], route, `${at}.dataset.${name}`);
  return {
    dataset: {
      name: field('name'),
      digest: field('digest'),
      sourceType: field('source_type'),
      source: field('source'),
      ...(optional('schema') !== undefined && { schema: optional('schema') }),
      ...(optional('profile') !== undefined && { profile: optional('profile') }),
    },
    tags: keyValues(input.tags, route, `${at}.tags`),
  };
}
