/**
 * Lifecycle every adapter with resources follows. Both methods are async and idempotent: a second
 * `start()` (or `stop()`) is a no-op, and `stop()` on a never-started service does nothing.
 *
 * @example
 * class FeatureStore implements Service {
 *   readonly serviceName = 'feature-store';
 *   async start(): Promise<void> { await pool.connect(); }
 *   async stop(): Promise<void> { await pool.end(); }
 * }
 */
export interface Service {
  /** Short name used in lifecycle log lines: `[START] <serviceName>`. */
  readonly serviceName: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
