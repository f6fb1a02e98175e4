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
  /** `options.required`: the app named this service at boot, so a fallback (spill) must not hide a dead backend. */
  start(options?: ServiceStartOptions): Promise<void>;
  stop(): Promise<void>;
}

/**
 * How a service is started. `required` is set for the services an app names in
 * `runtime.start({ services })`: a backend that cannot be reached or refuses the login must fail that
 * start with its typed error, even where a lazy start would fall back (`onUnavailable: spill` is for
 * outages after boot). Services without a fallback can ignore it.
 *
 * @example await tracker.start({ required: true }); // TRACKER_UNAVAILABLE against a closed port, never a spill
 */
export interface ServiceStartOptions {
  /** Named at boot: fail with the backend's typed error rather than fall back. */
  required?: boolean;
}
