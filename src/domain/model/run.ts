/** Run statuses as MLflow names them. Integers in the file store: RUNNING=1 … KILLED=5. */
export const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A terminal status ends a run; RUNNING and SCHEDULED do not. */
export function isTerminalStatus(status: RunStatus): boolean {
  return status === 'FINISHED' || status === 'FAILED' || status === 'KILLED';
}

/** What a caller says about a run it is about to start. */
export interface RunConfig {
  /** Experiment to put the run in; defaults to the tracker's configured experiment. */
  experimentId?: string;
  /** Experiment looked up (and created if missing) by name, when no id is given. */
  experimentName?: string;
  runName?: string;
  /** Stored as the tag `mlflow.note.content`. */
  description?: string;
  tags?: Record<string, string>;
  /** Makes this a nested run: stored as the tag `mlflow.parentRunId`. */
  parentRunId?: string;
  /** Milliseconds since epoch; defaults to now. */
  startTime?: number;
}

export interface RunInfo {
  runId: string;
  experimentId: string;
  runName: string;
  status: RunStatus;
  /** Milliseconds since epoch. */
  startTime: number;
  endTime?: number;
  artifactUri: string;
  lifecycleStage: 'active' | 'deleted';
  userId?: string;
}

/** One metric value as logged. `step` defaults to 0 and `timestamp` to the time of the call. */
export interface Metric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface RunData {
  /** The latest value of each metric key (what MLflow's runs/get returns). */
  metrics: Record<string, Metric>;
  params: Record<string, string>;
  tags: Record<string, string>;
}

export interface Run {
  info: RunInfo;
  data: RunData;
}

export interface SearchRunsQuery {
  experimentIds: string[];
  /** MLflow search syntax, e.g. `metrics.rmse < 1 and params.alpha = '0.1'`. */
  filter?: string;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
}

/** One page of results; `nextPageToken` is set when there are more. */
export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

/** Options for a single metric value. */
export interface MetricOptions {
  step?: number;
  timestamp?: number;
}

/** Reserved tag keys MLflow gives meaning to. */
export const MlflowTags = {
  RUN_NAME: 'mlflow.runName',
  NOTE: 'mlflow.note.content',
  PARENT_RUN_ID: 'mlflow.parentRunId',
  USER: 'mlflow.user',
  SOURCE_NAME: 'mlflow.source.name',
} as const;
