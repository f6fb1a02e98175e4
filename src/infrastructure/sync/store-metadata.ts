import { RUN_STATUSES, type RunStatus } from '../../domain/model/run';
import type { ModelVersionStatus } from '../../domain/model/model-version';
import { corrupt, field, optionalField, type MetaRecord } from '../tracking/local/meta-yaml';

/**
 * Validating parsers for the three meta.yaml shapes of MLflow's file store. Each checks what a replay
 * relies on and throws StoreCorruptError naming the file and the field; unknown extra keys (newer MLflow
 * versions add some) are ignored.
 */

export interface ExperimentMeta {
  experimentId: string;
  name: string;
  artifactLocation: string;
  deleted: boolean;
}

export interface RunMeta {
  runName: string;
  status: RunStatus;
  startTime: number;
  endTime?: number;
  artifactUri: string;
  userId?: string;
  deleted: boolean;
}

export interface VersionMeta {
  version: number;
  source: string;
  runId?: string;
  description?: string;
  status: ModelVersionStatus;
  deleted: boolean;
}

export function parseExperimentMeta(meta: MetaRecord, dirName: string, file: string): ExperimentMeta {
  const experimentId = field(meta, 'experiment_id', 'string', file);
  if (experimentId !== dirName) throw corrupt(file, `it records experiment id ${experimentId} but lives in directory ${dirName}`);
  const name = field(meta, 'name', 'string', file);
  if (name.trim() === '') throw corrupt(file, 'field "name" is empty');
  return {
    experimentId,
    name,
    artifactLocation: optionalField(meta, 'artifact_location', 'string', file) ?? '',
    deleted: lifecycle(meta, file) === 'deleted',
  };
}

export function parseRunMeta(meta: MetaRecord, dirName: string, file: string): RunMeta {
  const recorded = optionalField(meta, 'run_id', 'string', file) ?? optionalField(meta, 'run_uuid', 'string', file);
  if (recorded !== undefined && recorded !== dirName) throw corrupt(file, `it records run id ${recorded} but lives in directory ${dirName}`);
  const startTime = field(meta, 'start_time', 'number', file);
  const endTime = optionalField(meta, 'end_time', 'number', file);
  for (const [key, value] of [['start_time', startTime], ['end_time', endTime]] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) throw corrupt(file, `field "${key}" should be milliseconds since epoch, found ${value}`);
  }
  return {
    runName: optionalField(meta, 'run_name', 'string', file) ?? '',
    status: runStatus(meta.status, file),
    startTime,
    endTime,
    artifactUri: optionalField(meta, 'artifact_uri', 'string', file) ?? '',
    userId: optionalField(meta, 'user_id', 'string', file),
    deleted: lifecycle(meta, file) === 'deleted',
  };
}

export function parseVersionMeta(meta: MetaRecord, dirVersion: number, file: string): VersionMeta {
  const version = field(meta, 'version', 'number', file);
  if (version !== dirVersion) throw corrupt(file, `it records version ${version} but lives in directory version-${dirVersion}`);
  const source = field(meta, 'source', 'string', file);
  if (source.trim() === '') throw corrupt(file, 'field "source" is empty');
  const status = meta.status ?? 'READY';
  if (status !== 'READY' && status !== 'PENDING_REGISTRATION' && status !== 'FAILED_REGISTRATION') throw corrupt(file, `status is ${JSON.stringify(status)}`);
  return {
    version,
    source,
    runId: optionalField(meta, 'run_id', 'string', file) || undefined,
    description: optionalField(meta, 'description', 'string', file) || undefined,
    status,
    // MLflow's registry file store marks a deleted version this way before removing its directory
    deleted: meta.current_stage === 'Deleted_Internal',
  };
}

/** MLflow writes the status as an integer (RUNNING=1 … KILLED=5); very old stores wrote its name. */
function runStatus(value: unknown, file: string): RunStatus {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= RUN_STATUSES.length) return RUN_STATUSES[value - 1]!;
  if (typeof value === 'string' && (RUN_STATUSES as readonly string[]).includes(value)) return value as RunStatus;
  throw corrupt(file, `field "status" is ${JSON.stringify(value)}, expected 1 (RUNNING), 2 (SCHEDULED), 3 (FINISHED), 4 (FAILED) or 5 (KILLED)`);
}

function lifecycle(meta: MetaRecord, file: string): 'active' | 'deleted' {
  const stage = meta.lifecycle_stage ?? 'active';
  if (stage !== 'active' && stage !== 'deleted') throw corrupt(file, `field "lifecycle_stage" is ${JSON.stringify(stage)}, expected active or deleted`);
  return stage;
}
