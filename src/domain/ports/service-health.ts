/**
 * What one backing service (the tracker or the registry) reports about itself, for a health endpoint.
 * `ok` means the backend answered a cheap, time-bounded probe now (an MLflow server that answers and
 * accepts the login; a local store whose directory is writable; memory and no-op always). With
 * `tracking.onUnavailable: spill`, `spilling` says writes go to the spill store now (jobs keep working)
 * and `pendingSync` how many runs (tracker) or registry writes (registry) this process spilled since it
 * started them, waiting for `mlops-kit sync`.
 *
 * @example
 * const tracker: ServiceHealth = { ok: false, started: true, backend: 'mlflow', spilling: true, pendingSync: 3, detail: 'MLflow server at http://mlflow:5000 did not answer usefully: ECONNREFUSED' };
 */
export interface ServiceHealth {
  /** The backend answered the probe now. */
  ok: boolean;
  /** The runtime started this service (and has not stopped it). */
  started: boolean;
  /** Which kind of backend: `mlflow`, `local`, `memory`, `noop`, or an app adapter's own word. */
  backend: 'mlflow' | 'local' | 'memory' | 'noop' | (string & {});
  /** The MLflow server's generation as detected, `3.x` or `2.x` (MLflow backends, once reached). */
  serverVersion?: string;
  /** Writes go to the spill store now instead of the server (`onUnavailable: spill` only). */
  spilling?: boolean;
  /** Runs (tracker) or registry writes (registry) waiting in the spill store for `mlops-kit sync`. */
  pendingSync?: number;
  /** Where the backend is (never with credentials), or why it is not ok. */
  detail?: string;
}

/**
 * An adapter that can report its health: the built-in trackers and registries do. An app's own tracker
 * may implement it too; one that does not is left out of `runtime.health()`.
 *
 * @example
 * class FeatureStoreTracker implements ITracker, HealthReporting {
 *   async health(): Promise<ServiceHealth> { return { ok: await pool.ping(), started: true, backend: 'feature-store' }; }
 * }
 */
export interface HealthReporting {
  /** Never rejects: a backend that cannot be reached is `ok: false` with a `detail`. */
  health(): Promise<ServiceHealth>;
}

/**
 * Whether `service` reports its health (has a `health()` method).
 *
 * @example if (reportsHealth(tracker)) console.log((await tracker.health()).ok);
 */
export function reportsHealth(service: unknown): service is HealthReporting {
  return typeof service === 'object' && service !== null && typeof (service as { health?: unknown }).health === 'function';
}
