import type { DatasetInput, ModelOutput } from './logged-model';
/**
 * Run statuses as MLflow names them. Integers in the file store: RUNNING=1 … KILLED=5.
 *
 * @example const status = RUN_STATUSES.find((s) => s === query.status?.toUpperCase()); // RunStatus | undefined
 */
export const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
/**
 * The status of a run, one of {@link RUN_STATUSES}: what an app checks to tell a finished run from a
 * failed or interrupted (KILLED) one.
 *
 * @example const status: RunStatus = (await tracker.getRun(runId)).info.status;
 */
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * A terminal status ends a run; RUNNING and SCHEDULED do not.
 *
 * @example if (isTerminalStatus(run.info.status)) return run; // stop polling
 */
export function isTerminalStatus(status: RunStatus): boolean {
  return status === 'FINISHED' || status === 'FAILED' || status === 'KILLED';
}

/**
 * What a caller says about a run it is about to start (`tracker.createRun`, `withRun`).
 *
 * @example const { runId } = await tracker.createRun({ experimentName: 'bike-demand', runName: 'nightly', tags: { team: 'forecast' } });
 */
export interface RunConfig {
  /** Experiment to put the run in; defaults to the tracker's configured experiment. */
  experimentId?: string;
  /** Experiment looked up (and created if missing) by name, when no id is given. */
  experimentName?: string;
  /** Stored as the tag `mlflow.runName`; a random name when unset. */
  runName?: string;
  /** Stored as the tag `mlflow.note.content`. */
  description?: string;
  /** Tags the run starts with (keys checked like any tag key). */
  tags?: Record<string, string>;
  /** Makes this a nested run: stored as the tag `mlflow.parentRunId`. */
  parentRunId?: string;
  /** Milliseconds since epoch; defaults to now. */
  startTime?: number;
  /**
   * Samples CPU, memory and process RSS as `system/…` metrics every `intervalSeconds` (default 10) until
   * the run ends. Off by default; `tracking.systemMetrics` in the config turns it on for every run.
   */
  systemMetrics?: boolean | { intervalSeconds?: number };
}

/**
 * What a tracker knows about a run besides its logged values: ids, name, status, times and the root of
 * its artifacts. `createRun` returns it; `getRun` and `searchRuns` return it inside a {@link Run}.
 *
 * @example const { runId, artifactUri } = await tracker.createRun({ runName: 'nightly' });
 */
export interface RunInfo {
  runId: string;
  experimentId: string;
  runName: string;
  status: RunStatus;
  /** Milliseconds since epoch. */
  startTime: number;
  /** Milliseconds since epoch; unset until the run ends. */
  endTime?: number;
  /** Root of the run's artifacts; artifact paths are relative to it. */
  artifactUri: string;
  lifecycleStage: 'active' | 'deleted';
  userId?: string;
}

/**
 * One metric value as logged. `step` defaults to 0 and `timestamp` to the time of the call.
 *
 * @example const losses = (await tracker.getMetricHistory(runId, 'loss')).map((m: Metric) => m.value);
 */
export interface Metric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/**
 * The values logged to a run: its params and tags, and the latest value of each metric.
 *
 * @example const { metrics, params } = (await tracker.getRun(runId)).data; console.log(metrics.rmse?.value, params.l2);
 */
export interface RunData {
  /** The latest value of each metric key (what MLflow's runs/get returns). */
  metrics: Record<string, Metric>;
  params: Record<string, string>;
  tags: Record<string, string>;
}

/**
 * A run as a tracker returns it (`getRun`, `searchRuns`): its {@link RunInfo} and its {@link RunData}.
 *
 * @example const run: Run = await tracker.getRun(runId); console.log(run.info.status, run.data.params);
 */
export interface Run {
  info: RunInfo;
  data: RunData;
  /** Datasets (and, on MLflow 3, models) the run used; empty lists when none were logged. */
  inputs?: RunInputs;
  /** Logged models the run produced (MLflow 3, local and memory stores). */
  outputs?: RunOutputs;
}

/**
 * What a run used: the datasets logged with `tracker.logInputs`.
 *
 * @example const names = (run.inputs?.datasetInputs ?? []).map((input) => input.dataset.name);
 */
export interface RunInputs {
  datasetInputs: DatasetInput[];
}

/**
 * What a run produced: the logged models it recorded as outputs.
 *
 * @example const modelIds = (run.outputs?.modelOutputs ?? []).map((output) => output.modelId);
 */
export interface RunOutputs {
  modelOutputs: ModelOutput[];
}

/**
 * What `tracker.searchRuns` looks for: runs of some experiments, filtered and ordered with MLflow's
 * search syntax, one page at a time.
 *
 * @example const { items } = await tracker.searchRuns({ experimentIds: [experimentId], filter: 'metrics.rmse < 1', orderBy: ['metrics.rmse ASC'], maxResults: 5 });
 */
export interface SearchRunsQuery {
  /** The experiments whose runs are searched. */
  experimentIds: string[];
  /** MLflow search syntax, e.g. `metrics.rmse < 1 and params.alpha = '0.1'`. */
  filter?: string;
  /** Most runs in one page. */
  maxResults?: number;
  /** e.g. `['metrics.rmse ASC', 'start_time DESC']`. */
  orderBy?: string[];
  /** The previous page's `nextPageToken`, to fetch the page after it. */
  pageToken?: string;
}

/**
 * One page of results; `nextPageToken` is set when there are more.
 *
 * @example
 * let page: Page<Run> = await tracker.searchRuns({ experimentIds: [id] });
 * while (page.nextPageToken) page = await tracker.searchRuns({ experimentIds: [id], pageToken: page.nextPageToken });
 */
export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

/**
 * Options for a single metric value.
 *
 * @example await tracker.logMetric(runId, 'loss', 0.31, { step: epoch });
 */
export interface MetricOptions {
  /** Training step (an epoch, a batch); default 0. */
  step?: number;
  /** Milliseconds since epoch; default the time of the call. */
  timestamp?: number;
}

/**
 * Reserved tag keys MLflow gives meaning to.
 *
 * @example await tracker.setTag(runId, MlflowTags.NOTE, 'Retrained on March data.');
 */
export const MlflowTags = {
  RUN_NAME: 'mlflow.runName',
  NOTE: 'mlflow.note.content',
  PARENT_RUN_ID: 'mlflow.parentRunId',
  USER: 'mlflow.user',
  SOURCE_NAME: 'mlflow.source.name',
  SOURCE_TYPE: 'mlflow.source.type',
  GIT_COMMIT: 'mlflow.source.git.commit',
  GIT_BRANCH: 'mlflow.source.git.branch',
  GIT_REPO_URL: 'mlflow.source.git.repoURL',
  DATASET_CONTEXT: 'mlflow.data.context',
} as const;
