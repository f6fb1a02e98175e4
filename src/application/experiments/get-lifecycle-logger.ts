import { ValidationError } from '../../domain/errors';
import type { ILifecycleLogger } from '../../domain/ports/lifecycle-logger';
import type { ILogger } from '../../domain/ports/logger';
import type { ITracker } from '../../domain/ports/tracker';
import { MemoryLifecycleLogger } from './memory-lifecycle-logger';
import { NoOpLifecycleLogger } from './noop-lifecycle-logger';
import { TrackerLifecycleLogger, type TrackerLifecycleOptions } from './tracker-lifecycle-logger';

export type LifecycleLoggerKind = 'mlflow' | 'memory' | 'noop';

export interface LifecycleLoggerDeps extends TrackerLifecycleOptions {
  tracker?: ITracker;
  /** Where the "no tracker configured" warning goes. Without one it goes to process warnings. */
  logger?: ILogger;
}

// warn once per logger (and once per process without a logger), not once per branch or call
const warnedLoggers = new WeakSet<ILogger>();
let warnedProcess = false;

/**
 * Picks a lifecycle logger by name. `'mlflow'` without a tracker does not crash: it returns the no-op
 * logger and warns once, in one line, that branch lifecycles will not be recorded.
 *
 * @example
 * const lifecycle = getLifecycleLogger('mlflow', { tracker, logger, parentRunId });
 */
export function getLifecycleLogger(kind: LifecycleLoggerKind, deps: LifecycleLoggerDeps = {}): ILifecycleLogger {
  switch (kind) {
    case 'mlflow':
      if (deps.tracker) return new TrackerLifecycleLogger(deps.tracker, deps);
      warnNoTracker(deps.logger);
      return new NoOpLifecycleLogger();
    case 'memory':
      return new MemoryLifecycleLogger();
    case 'noop':
      return new NoOpLifecycleLogger();
    default:
      throw new ValidationError(`Unknown lifecycle logger "${String(kind)}"; use mlflow, memory or noop.`);
  }
}

function warnNoTracker(logger: ILogger | undefined): void {
  const message =
    'Lifecycle logger "mlflow" requested but no tracker is configured: branch lifecycles will not be recorded (set tracking.uri to record them).';
  if (logger) {
    if (warnedLoggers.has(logger)) return;
    warnedLoggers.add(logger);
    logger.warn(message);
    return;
  }
  if (warnedProcess) return;
  warnedProcess = true;
  process.emitWarning(message, { code: 'MLOPS_LIFECYCLE_NOOP' });
}
