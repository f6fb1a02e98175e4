import { createHash, randomUUID } from 'node:crypto';
import type { Dataset, LoggedModel, LoggedModelStatus, ModelOutput } from '../../../domain/model/logged-model';
import { corrupt, field, optionalField, type MetaRecord } from './meta-yaml';

/**
 * The files MLflow 3's FileStore (`mlflow/store/tracking/file_store.py`) writes for logged models,
 * datasets and a run's inputs and outputs, as pure functions from values to meta.yaml records and back:
 *
 *   <exp>/models/<model_id>/meta.yaml        LoggedModel.to_dictionary() without tags/params/metrics:
 *                                            artifact_location, creation_timestamp, experiment_id,
 *                                            last_updated_timestamp, model_id, model_type, name,
 *                                            source_run_id, status (int), status_message, plus
 *                                            `lifecycle_stage: active` when created (finalize drops it)
 *   <exp>/models/<model_id>/params/<key>, tags/<key>, metrics/   raw values like a run's
 *   <exp>/datasets/<md5(name+digest)>/meta.yaml            dict(Dataset): digest, name, profile, schema, source, source_type
 *   <exp>/<run>/inputs/<md5(dataset_id+run_id)>/meta.yaml  source DATASET → destination RUN, tags {key: value}
 *   <exp>/<run>/outputs/<model_id>/meta.yaml               source RUN_OUTPUT → destination MODEL_OUTPUT, step
 *
 * MLflow writes `destination_id: <source_id>` in both input and output files (its `write_yaml` uses
 * `self.source_id` for both), and reads an output's model id back from `destination_id`; the files here
 * do the same so MLflow's client reads them back unchanged.
 *
 * @example dumpMeta(loggedModelMeta(model, { created: true })) // what create_logged_model writes
 */

/** `LoggedModelStatus.to_int()`: the integer MLflow 3 stores in meta.yaml. */
const STATUS_INTS: Record<LoggedModelStatus, number> = { PENDING: 1, READY: 2, FAILED: 3 };

/** A new logged model id as MLflow 3 makes them: `m-` and a uuid4 without dashes. */
export function newLoggedModelId(): string {
  return `m-${randomUUID().replace(/-/g, '')}`;
}

/** MLflow's `append_to_uri_path`: joins path segments onto a URI with exactly one `/` between them. */
export function appendToUriPath(uri: string, ...segments: string[]): string {
  return segments.reduce((acc, segment) => `${acc.replace(/\/+$/, '')}/${segment.replace(/^\/+/, '')}`, uri);
}

/** `<experiment artifact location>/models/<id>/artifacts`, where MLflow 3 puts a logged model's files. */
export function loggedModelArtifactLocation(experimentArtifactLocation: string, modelId: string): string {
  return appendToUriPath(experimentArtifactLocation, 'models', modelId, 'artifacts');
}

/** The meta.yaml record of a logged model; `created` adds the `lifecycle_stage` only creation writes. */
export function loggedModelMeta(model: LoggedModel & { modelId: string }, options: { created: boolean }): MetaRecord {
  const meta: MetaRecord = {
    artifact_location: model.artifactUri,
    creation_timestamp: model.creationTimestamp,
    experiment_id: model.experimentId,
    last_updated_timestamp: model.lastUpdatedTimestamp,
    model_id: model.modelId,
    model_type: model.modelType ?? null,
    name: model.name,
    source_run_id: model.sourceRunId ?? null,
    status: STATUS_INTS[model.status],
    status_message: null,
  };
  if (options.created) meta.lifecycle_stage = 'active';
  return meta;
}

/** What a logged model's meta.yaml says, checked; params and tags are read from their folders separately. */
export interface LoggedModelRecord {
  modelId: string;
  experimentId: string;
  name: string;
  artifactUri: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  status: LoggedModelStatus;
  modelType?: string;
  sourceRunId?: string;
  deleted: boolean;
}

/** Reads a logged model's meta.yaml; `status` is MLflow 3's integer (its name, as some pre-releases wrote, is accepted too). */
export function parseLoggedModelMeta(meta: MetaRecord, file: string): LoggedModelRecord {
  const statusInt = meta.status;
  const status = (Object.keys(STATUS_INTS) as LoggedModelStatus[]).find((s) => STATUS_INTS[s] === statusInt || s === statusInt);
  if (!status) throw corrupt(file, `field "status" should be 1 (PENDING), 2 (READY) or 3 (FAILED), found ${JSON.stringify(statusInt)}`);
  return {
    modelId: field(meta, 'model_id', 'string', file),
    experimentId: field(meta, 'experiment_id', 'string', file),
    name: field(meta, 'name', 'string', file),
    artifactUri: field(meta, 'artifact_location', 'string', file),
    creationTimestamp: field(meta, 'creation_timestamp', 'number', file),
    lastUpdatedTimestamp: field(meta, 'last_updated_timestamp', 'number', file),
    status,
    modelType: optionalField(meta, 'model_type', 'string', file),
    sourceRunId: optionalField(meta, 'source_run_id', 'string', file),
    deleted: meta.lifecycle_stage === 'deleted',
  };
}

/** `FileStore._get_dataset_id`: md5 of the name then the digest. */
export function datasetId(name: string, digest: string): string {
  return createHash('md5').update(name, 'utf8').update(digest, 'utf8').digest('hex');
}

/** `FileStore._get_dataset_input_id`: md5 of the dataset id then the run id. */
export function datasetInputId(datasetIdValue: string, runId: string): string {
  return createHash('md5').update(datasetIdValue, 'utf8').update(runId, 'utf8').digest('hex');
}

/** dict(Dataset): every property, an absent schema or profile as null. */
export function datasetMeta(dataset: Dataset): MetaRecord {
  return {
    digest: dataset.digest,
    name: dataset.name,
    profile: dataset.profile ?? null,
    schema: dataset.schema ?? null,
    source: dataset.source,
    source_type: dataset.sourceType,
  };
}

export function parseDatasetMeta(meta: MetaRecord, file: string): Dataset {
  const schema = optionalField(meta, 'schema', 'string', file);
  const profile = optionalField(meta, 'profile', 'string', file);
  return {
    name: field(meta, 'name', 'string', file),
    digest: field(meta, 'digest', 'string', file),
    sourceType: field(meta, 'source_type', 'string', file),
    source: field(meta, 'source', 'string', file),
    ...(schema !== undefined ? { schema } : {}),
    ...(profile !== undefined ? { profile } : {}),
  };
}

/** `_FileStoreInput(DATASET → RUN).write_yaml`. */
export function datasetInputMeta(datasetIdValue: string, tags: Record<string, string>): MetaRecord {
  return { destination_id: datasetIdValue, destination_type: 'RUN', source_id: datasetIdValue, source_type: 'DATASET', tags: { ...tags } };
}

/** An input file read back: only DATASET inputs are returned (MODEL inputs are another kind). */
export function parseDatasetInputMeta(meta: MetaRecord, file: string): { datasetId: string; tags: Record<string, string> } | undefined {
  if (meta.source_type !== 'DATASET') return undefined;
  const tags = meta.tags ?? {};
  if (typeof tags !== 'object' || Array.isArray(tags)) throw corrupt(file, `field "tags" should be a mapping, found ${JSON.stringify(tags)}`);
  return { datasetId: field(meta, 'source_id', 'string', file), tags: Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, String(v)])) };
}

/** `_FileStoreOutput(RUN_OUTPUT → MODEL_OUTPUT).write_yaml`. */
export function modelOutputMeta(output: ModelOutput): MetaRecord {
  return { destination_id: output.modelId, destination_type: 'MODEL_OUTPUT', source_id: output.modelId, source_type: 'RUN_OUTPUT', step: output.step, tags: {} };
}

export function parseModelOutputMeta(meta: MetaRecord, file: string): ModelOutput | undefined {
  if (meta.destination_type !== 'MODEL_OUTPUT') return undefined;
  return { modelId: field(meta, 'destination_id', 'string', file), step: optionalField(meta, 'step', 'number', file) ?? 0 };
}
