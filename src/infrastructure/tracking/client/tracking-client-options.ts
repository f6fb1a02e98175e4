import type { SystemMetricsSetting } from './run-sampling';
import type { ILogger } from '../../../domain/ports/logger';

/**
 * How a TrackingClient is set up; the public trackers pass theirs through.
 *
 * @example new TrackingClient(store, { experimentName: 'churn', logger, killOpenRunsOnStop: false });
 */
export interface TrackingClientOptions extends RunDefaults {
  /** Experiment runs go to when a RunConfig names none; resolved (created if missing) by `start()`. Default "Default". */
  experimentName?: string;
  /** Receives the first truncation warning of each kind, one warning per run killed at stop, and the start line. */
  logger?: ILogger;
  /** Milliseconds since epoch; tests pin it. */
  clock?: () => number;
  /** Recorded as each run's user (`mlflow.user`); default the OS user, or "unknown". */
  userId?: string;
  /**
   * Whether `stop()` marks runs this client opened and nobody ended as KILLED (default true). `sync`
   * turns it off: a run still RUNNING in the store it replays must stay RUNNING on the server.
   */
  killOpenRunsOnStop?: boolean;
  /** For the runtime's logs, e.g. `tracker:mlflow`. */
  serviceName?: string;
}

/**
 * What every run of a tracker starts with unless its RunConfig says otherwise: the source tags and the
 * system-metrics setting. The container fills both from the config (`tracking.systemMetrics`) and where
 * the process runs (config file, git checkout).
 *
 * @example new LocalTracker({ root: './mlruns', systemMetrics: { intervalSeconds: 5 }, sourceTags: async () => ({ 'mlflow.source.name': 'train.ts' }) });
 */
export interface RunDefaults {
  /**
   * Tags every run starts with (a run's own tags win), e.g. the `mlflow.source.*` tags. Asked once, when
   * the tracker first opens its store.
   */
  sourceTags?: () => Promise<Record<string, string>>;
  /** System metrics for runs whose RunConfig does not say; default off. */
  systemMetrics?: SystemMetricsSetting;
}
