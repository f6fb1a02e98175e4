import type { ArtifactInfo } from '../model/artifact';
import type { Experiment } from '../model/experiment';
import type { DatasetInput, LogModelRequest, LoggedModel } from '../model/logged-model';
import type { Metric, MetricOptions, Page, Run, RunConfig, RunInfo, RunStatus, SearchRunsQuery } from '../model/run';
import type { Service } from './service';

/**
 * A param value; numbers and booleans are stored as their string form.
 *
 * @example await tracker.logParams(runId, { learningRate: 0.05, epochs: 200, shuffle: true }); // stored as '0.05', '200', 'true'
 */
export type ParamValue = string | number | boolean;

/**
 * Options of `tracker.downloadModel`.
 *
 * @example await tracker.downloadModel('models:/m-0123…', dir, { maxBytes: DEFAULT_MAX_MODEL_BYTES });
 */
export interface DownloadModelOptions {
  /** Refuse the model (MODEL_TOO_LARGE) when a file, or all of them together, is over this many bytes, by the listing's sizes. */
  maxBytes?: number;
}

/**
 * Experiment tracking port (MLflow's tracking API). Logging calls (`logMetric`, `logParam`, `setTag`
 * and their plural forms) may be buffered by the adapter: they validate the key at once (throwing
 * ValidationError), and the returned promise resolves when the value is accepted into the buffer.
 * `flush()` resolves when everything logged so far has been delivered.
 *
 * `stop()` flushes, and ends every run this tracker created that is still RUNNING as KILLED (a run
 * left open at stop was interrupted).
 *
 * @example
 * const { runId } = await tracker.createRun({ runName: 'nightly' });
 * await tracker.logMetrics(runId, { rmse: 0.42, r2: 0.91 }); await tracker.endRun(runId);
 */
export interface ITracker extends Service {
  /** The experiment runs go to when a RunConfig names none (resolved by `start()`). */
  readonly defaultExperimentId: string | undefined;

  getExperiment(experimentId: string): Promise<Experiment>;
  getExperimentByName(name: string): Promise<Experiment | undefined>;
  /** Returns the experiment's id, creating it if missing; safe when two callers race to create it. */
  getOrCreateExperiment(name: string, tags?: Record<string, string>): Promise<string>;

  createRun(config?: RunConfig): Promise<RunInfo>;
  /** Ends a run with a terminal status (default FINISHED) after flushing what was logged to it. */
  endRun(runId: string, status?: RunStatus, endTime?: number): Promise<void>;
  getRun(runId: string): Promise<Run>;
  searchRuns(query: SearchRunsQuery): Promise<Page<Run>>;

  logMetric(runId: string, key: string, value: number, options?: MetricOptions): Promise<void>;
  logMetrics(runId: string, metrics: Record<string, number>, options?: MetricOptions): Promise<void>;
  logParam(runId: string, key: string, value: ParamValue): Promise<void>;
  logParams(runId: string, params: Record<string, ParamValue>): Promise<void>;
  setTag(runId: string, key: string, value: string): Promise<void>;
  setTags(runId: string, tags: Record<string, string>): Promise<void>;
  /** Every value ever logged for `key`, in logging order. */
  getMetricHistory(runId: string, key: string): Promise<Metric[]>;

  /** Uploads a file or (recursively) a directory under `artifactPath` in the run's artifact root. */
  logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void>;
  listArtifacts(runId: string, path?: string): Promise<ArtifactInfo[]>;
  /** Downloads a file or directory into `destDir`; returns the local path of what was downloaded. */
  downloadArtifact(runId: string, path: string, destDir: string): Promise<string>;

  /**
   * Logs a model produced by the run: its files, an MLmodel file (flavors, signature, input example) and,
   * where the server has them (MLflow 3, local, memory), a logged model (`m-…`) recorded as the run's output.
   * On an MLflow 2.x server the files become run artifacts under `request.name`.
   */
  logModel(runId: string, request: LogModelRequest): Promise<LoggedModel>;
  /** A logged model by id (`m-…`); NotFoundError(MODEL_NOT_FOUND) when there is none. */
  getLoggedModel(modelId: string): Promise<LoggedModel>;
  /**
   * Downloads a model's files into `destDir` and returns the local directory holding its MLmodel file.
   * Takes `models:/m-<id>`, `runs:/<run id>/<path>` or an artifact URI a model version's source names.
   * With `maxBytes`, the files are listed first and a model over the bound is refused (MODEL_TOO_LARGE)
   * before a byte of it is downloaded.
   */
  downloadModel(modelUri: string, destDir: string, options?: DownloadModelOptions): Promise<string>;
  /** Records datasets the run used (MLflow's `runs/log-inputs`); the same dataset twice is recorded once. */
  logInputs(runId: string, inputs: DatasetInput[]): Promise<void>;

  /** Delivers everything buffered (for one run, or all runs). */
  flush(runId?: string): Promise<void>;
}
