/**
 * Upper bounds on job sizes (README "Configuration"): past them a run exhausts memory or never ends rather
 * than doing useful work (`rows: 1e9` ended in a V8 heap abort after 64 s).
 *
 * @example const concurrency = Math.min(requested, JOB_LIMITS.maxConcurrency);
 */
export const JOB_LIMITS = {
  /** Synthetic rows: 1e6 rows × the demo's features is ~100 MB of doubles. */
  maxRows: 1_000_000,
  /** Training epochs over the whole data set. */
  maxEpochs: 100_000,
  /** Branches trained at once by one ExperimentJob (each holds its data set in memory). */
  maxConcurrency: 64,
  /** Retries per branch. */
  maxRetries: 100,
  /** The ExperimentJob's name (its parent run's name), bounded like an MLflow experiment name. */
  maxNameLength: 500,
} as const;

/** The message of a bound, naming it as documented. */
export const atMost = (limit: number) => ({ message: `must be at most ${limit.toLocaleString('en-US')} (the documented bound)` });
