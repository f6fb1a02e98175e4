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
