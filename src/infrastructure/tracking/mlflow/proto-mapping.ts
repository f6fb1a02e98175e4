import type { Experiment } from '../../../domain/model/experiment';
import type { ModelVersion, ModelVersionStatus, RegisteredModel } from '../../../domain/model/model-version';
import { MlflowTags, RUN_STATUSES, type Metric, type Run, type RunInfo, type RunStatus } from '../../../domain/model/run';
import { fromWireNumber, toWireNumber } from './wire-json';

/**
 * MLflow's JSON messages (protos/service.proto, model_registry.proto) and their mapping to domain
 * types. On the wire int64 are numbers, enums are names, `model_version.version` is a string, and an
 * empty repeated field is left out entirely, so every list here is optional and read as `[]`.
 */
export interface WireKeyValue {
  key: string;
  value: string;
}

export interface WireMetric {
  key: string;
  value: number | string;
  timestamp?: number;
  step?: number;
}

export interface WireExperiment {
  experiment_id: string;
  name: string;
  artifact_location?: string;
  lifecycle_stage?: string;
  tags?: WireKeyValue[];
  creation_time?: number;
  last_update_time?: number;
}

export interface WireRunInfo {
  run_id: string;
  run_uuid?: string;
  experiment_id: string;
  run_name?: string;
  user_id?: string;
  status?: string;
  start_time?: number;
  end_time?: number;
  artifact_uri?: string;
  lifecycle_stage?: string;
}

export interface WireRun {
  info: WireRunInfo;
  data?: { metrics?: WireMetric[]; params?: WireKeyValue[]; tags?: WireKeyValue[] };
}

export interface WireModelVersion {
  name: string;
  version: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  description?: string;
  source?: string;
  run_id?: string;
  model_id?: string;
  status?: string;
  tags?: WireKeyValue[];
  aliases?: string[];
}

export interface WireRegisteredModel {
  name: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  description?: string;
  tags?: WireKeyValue[];
  aliases?: { alias: string; version: string }[];
}

const VERSION_STATUSES: readonly string[] = ['PENDING_REGISTRATION', 'FAILED_REGISTRATION', 'READY'];

export function toRecord(pairs: readonly WireKeyValue[] | undefined): Record<string, string> {
  return Object.fromEntries((pairs ?? []).map((p) => [p.key, p.value ?? '']));
}

export function toPairs(record: Record<string, string> | undefined): WireKeyValue[] {
  return Object.entries(record ?? {}).map(([key, value]) => ({ key, value }));
}

export function toExperiment(e: WireExperiment): Experiment {
  return {
    experimentId: String(e.experiment_id),
    name: e.name,
    artifactLocation: e.artifact_location ?? '',
    lifecycleStage: e.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
    tags: toRecord(e.tags),
    creationTime: e.creation_time,
    lastUpdateTime: e.last_update_time,
  };
}

export function toMetric(m: WireMetric): Metric {
  return { key: m.key, value: fromWireNumber(m.value), timestamp: Number(m.timestamp ?? 0), step: Number(m.step ?? 0) };
}

export function metricToWire(m: Metric): WireMetric {
  return { key: m.key, value: toWireNumber(m.value), timestamp: m.timestamp, step: m.step };
}

export function toRunInfo(info: WireRunInfo, tags: Record<string, string> = {}): RunInfo {
  const status = (RUN_STATUSES as readonly string[]).includes(info.status ?? '') ? (info.status as RunStatus) : 'RUNNING';
  return {
    runId: info.run_id ?? info.run_uuid,
    experimentId: String(info.experiment_id),
    runName: info.run_name ?? tags[MlflowTags.RUN_NAME] ?? '',
    status,
    startTime: Number(info.start_time ?? 0),
    endTime: info.end_time === undefined || info.end_time === null ? undefined : Number(info.end_time),
    artifactUri: info.artifact_uri ?? '',
    lifecycleStage: info.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
    userId: info.user_id || undefined,
  };
}

export function toRun(run: WireRun): Run {
  const tags = toRecord(run.data?.tags);
  const metrics = Object.fromEntries((run.data?.metrics ?? []).map((m) => [m.key, toMetric(m)]));
  return { info: toRunInfo(run.info, tags), data: { metrics, params: toRecord(run.data?.params), tags } };
}

export function toModelVersion(v: WireModelVersion): ModelVersion {
  return {
    name: v.name,
    version: Number(v.version),
    source: v.source ?? '',
    runId: v.run_id || undefined,
    ...(v.model_id ? { modelId: v.model_id } : {}),
    status: VERSION_STATUSES.includes(v.status ?? '') ? (v.status as ModelVersionStatus) : 'READY',
    creationTimestamp: Number(v.creation_timestamp ?? 0),
    lastUpdatedTimestamp: Number(v.last_updated_timestamp ?? v.creation_timestamp ?? 0),
    description: v.description || undefined,
    tags: toRecord(v.tags),
    aliases: v.aliases ?? [],
  };
}

export function toRegisteredModel(m: WireRegisteredModel): RegisteredModel {
  return {
    name: m.name,
    creationTimestamp: Number(m.creation_timestamp ?? 0),
    lastUpdatedTimestamp: Number(m.last_updated_timestamp ?? m.creation_timestamp ?? 0),
    description: m.description || undefined,
    tags: toRecord(m.tags),
    aliases: (m.aliases ?? []).map((a) => ({ alias: a.alias, version: Number(a.version) })),
  };
}

/**
 * What an answer must hold for the mapping above to read it, per `METHOD route`: a path per field,
 * `.` between levels, `a|b` for alternatives, `x?` for an object that may be absent, `x[]` for a list
 * that may be absent (each element then checked for the rest of the path). A server (or a stub, or a
 * proxy) answering 200 without one of these gets a typed error naming the route and the field, never a
 * TypeError deep in the mapping.
 */
const RUN_FIELDS = ['info.run_id|run_uuid', 'info.experiment_id', 'data?.metrics[].key', 'data?.params[].key', 'data?.tags[].key'];
const EXPERIMENT_FIELDS = ['experiment_id', 'name', 'tags[].key'];
const VERSION_FIELDS = ['name', 'version', 'tags[].key'];
const MODEL_FIELDS = ['name', 'tags[].key', 'aliases[].alias'];
const within = (prefix: string, fields: string[]): string[] => fields.map((f) => `${prefix}.${f}`);

export const ANSWER_SHAPES: Readonly<Record<string, readonly string[]>> = {
  'GET experiments/get': within('experiment', EXPERIMENT_FIELDS),
  'GET experiments/get-by-name': within('experiment', EXPERIMENT_FIELDS),
  'POST experiments/create': ['experiment_id'],
  'POST runs/create': within('run', RUN_FIELDS),
  'GET runs/get': within('run', RUN_FIELDS),
  'POST runs/update': ['run_info.run_id|run_uuid'],
  'POST runs/search': within('runs[]', RUN_FIELDS),
  'GET metrics/get-history': ['metrics[].key'],
  'POST registered-models/create': within('registered_model', MODEL_FIELDS),
  'GET registered-models/get': within('registered_model', MODEL_FIELDS),
  'POST model-versions/create': within('model_version', VERSION_FIELDS),
  'GET model-versions/get': within('model_version', VERSION_FIELDS),
  'GET model-versions/search': within('model_versions[]', VERSION_FIELDS),
  'GET registered-models/alias': within('model_version', VERSION_FIELDS),
};

/**
 * The first field of `ANSWER_SHAPES[method route]` that `answer` lacks (as a path with list indexes,
 * e.g. `run.info.run_id` or `runs[2].info`), or undefined when the answer is complete or the route has
 * no shape.
 *
 * @example missingField('GET', 'runs/get', { run: {} }) // 'run.info'
 */
export function missingField(method: string, route: string, answer: unknown): string | undefined {
  for (const path of ANSWER_SHAPES[`${method} ${route}`] ?? []) {
    const missing = missingAlong(answer, path.split('.'), '');
    if (missing !== undefined) return missing;
  }
  return undefined;
}

function missingAlong(value: unknown, segments: string[], at: string): string | undefined {
  const [segment, ...rest] = segments;
  if (segment === undefined) return undefined;
  const names = segment.replace(/\[\]$|\?$/, '').split('|');
  const record = value as Record<string, unknown>;
  const name = names.find((n) => record[n] !== undefined && record[n] !== null) ?? names[0]!;
  const field = record[name];
  const here = at === '' ? name : `${at}.${name}`;
  if (field === undefined || field === null) return segment.endsWith('[]') || segment.endsWith('?') ? undefined : here;
  if (segment.endsWith('[]')) {
    if (!Array.isArray(field)) return `${here} (not a list)`;
    for (const [i, element] of field.entries()) {
      if (!isObject(element)) return `${here}[${i}] (not an object)`;
      const missing = missingAlong(element, rest, `${here}[${i}]`);
      if (missing !== undefined) return missing;
    }
    return undefined;
  }
  if (rest.length === 0) return undefined;
  if (!isObject(field)) return `${here} (not an object)`;
  return missingAlong(field, rest, here);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
