import type { Metric, RunStatus } from '../../domain/model/run';
import type { ModelVersionStatus } from '../../domain/model/model-version';

/**
 * What the local store holds, as read straight from MLflow's file-store layout. Metadata (experiments,
 * run meta.yaml and tags, models, versions, aliases) is read and validated up front by
 * `LocalStoreReader.open()`; the bulky part of a run (params, full metric histories, artifact list) is
 * read one run at a time by `readRun()`, so memory holds one run's metrics, not the whole store's.
 */
export interface StoreIndex {
  /** Absolute store root. */
  root: string;
  /** Active experiments, in store order (id "0" first, then by id). */
  experiments: StoredExperiment[];
  /** Every active run of every active experiment, parents before their nested runs, then by start time. */
  runs: StoredRun[];
  models: StoredModel[];
  /** Things left out or not copied (deleted entries, half-created directories, remote artifacts): one line each. */
  warnings: string[];
}

export interface StoredExperiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  tags: Record<string, string>;
  /** Absolute path of `<root>/<exp_id>`. */
  dir: string;
}

export interface StoredRun {
  runId: string;
  experimentId: string;
  /** The experiment's name (runs are matched to target experiments by name). */
  experimentName: string;
  runName: string;
  status: RunStatus;
  startTime: number;
  endTime?: number;
  /** meta.yaml's artifact_uri, as recorded (the store may have moved since). */
  artifactUri: string;
  userId?: string;
  /** Every tag, read with the metadata (they decide parent order and are small). */
  tags: Record<string, string>;
  /** Absolute path of `<root>/<exp_id>/<run_id>`. */
  dir: string;
  /** Local directory holding the run's files, when there is one on this disk. */
  artifactsDir?: string;
}

/** The bulky part of one run, read when it is replayed. */
export interface StoredRunData {
  params: Record<string, string>;
  /** Full history per key, in file (= logging) order. */
  metrics: Map<string, Metric[]>;
  /** Every file under the run's artifacts directory, `/`-separated paths relative to it, sorted. */
  artifacts: { absolute: string; relative: string; size: number }[];
}

export interface StoredModel {
  name: string;
  description?: string;
  tags: Record<string, string>;
  /** Ascending by version number. */
  versions: StoredVersion[];
  /** alias → source version number. */
  aliases: Record<string, number>;
}

export interface StoredVersion {
  version: number;
  source: string;
  runId?: string;
  description?: string;
  tags: Record<string, string>;
  status: ModelVersionStatus;
  /** The version's meta.yaml, for messages. */
  file: string;
}
