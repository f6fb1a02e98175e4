import { ValidationError } from '../../../domain/errors';
import type { ILogger } from '../../../domain/ports/logger';
import { SystemProbe } from './system-probe';

/**
 * Where samples go: one call per sample with MLflow's metric names and the sample index as the step
 * (0, 1, 2 …, as MLflow's monitor counts its logging steps). Usually a tracker's batch of metrics.
 *
 * @example const sink: SystemMetricsSink = (metrics, step) => tracker.logMetrics(runId, metrics, { step });
 */
export type SystemMetricsSink = (metrics: Record<string, number>, step: number) => unknown;

/**
 * A running sampler. `stop()` ends it: no sample starts afterwards, and the promise settles once a sample
 * already being delivered has reached the sink. Calling it again is harmless.
 *
 * @example const handle = sampler.start(runId, sink, 10_000); try { await train(); } finally { await handle.stop(); }
 */
export interface SystemMetricsHandle {
  stop(): Promise<void>;
  /** How many samples were delivered (or attempted) so far. */
  readonly samples: number;
}

/**
 * The shortest interval accepted: below it a sampler would mostly measure itself.
 *
 * @example const intervalMs = Math.max(MIN_SYSTEM_METRICS_INTERVAL_MS, seconds * 1000);
 */
export const MIN_SYSTEM_METRICS_INTERVAL_MS = 10;

/**
 * The one interval rule: a number of milliseconds, at least {@link MIN_SYSTEM_METRICS_INTERVAL_MS}.
 *
 * @example assertSamplingInterval(10_000);
 */
export function assertSamplingInterval(intervalMs: number): void {
  if (!Number.isFinite(intervalMs) || intervalMs < MIN_SYSTEM_METRICS_INTERVAL_MS) {
    throw new ValidationError(
      `System metrics interval must be a number of milliseconds >= ${MIN_SYSTEM_METRICS_INTERVAL_MS}, got ${intervalMs}; the default is 10000 (10 s).`,
      undefined,
      { details: { intervalMs } },
    );
  }
}

/**
 * Samples CPU %, system memory used (MB and %), process RSS and process CPU % every interval while a run
 * is open, under MLflow's metric names (`SystemMetricNames`), like `mlflow.start_run(
 * log_system_metrics=True)`. Costs nothing until `start`: no timer, no reading. Its timer is unref'd, so
 * an open sampler never keeps a process alive, and a slow sink delays the next sample instead of letting
 * samples pile up. A sink that throws or rejects is logged once per run (as a warning naming the run)
 * and sampling goes on; nothing is thrown to the caller.
 *
 * @example
 * const sampler = new SystemMetricsSampler(logger);
 * const handle = sampler.start(run.runId, (metrics, step) => tracker.logMetrics(run.runId, metrics, { step }), 10_000);
 * await handle.stop(); // when the run ends
 */
export class SystemMetricsSampler {
  constructor(private readonly logger?: Pick<ILogger, 'warn'>) {}

  start(runId: string, sink: SystemMetricsSink, intervalMs = 10_000): SystemMetricsHandle {
    assertSamplingInterval(intervalMs);
    const probe = new SystemProbe();
    const logger = this.logger;
    let step = 0;
    let stopped = false;
    let warned = false;
    let inFlight: Promise<void> | undefined;
    let timer: NodeJS.Timeout | undefined;

    const sample = async () => {
      timer = undefined;
      const current = step++;
      try {
        await sink(probe.read(), current);
      } catch (error) {
        if (!warned) {
          warned = true;
          logger?.warn('System metrics could not be logged; sampling goes on and further failures for this run are not logged', {
            runId,
            step: current,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
    };
    const schedule = () => {
      if (stopped) return;
      timer = setTimeout(() => {
        inFlight = sample().finally(() => {
          inFlight = undefined;
          schedule();
        });
      }, intervalMs);
      timer.unref();
    };
    schedule();

    return {
      get samples() {
        return step;
      },
      async stop() {
        stopped = true;
        if (timer) clearTimeout(timer);
        timer = undefined;
        await inFlight;
      },
    };
  }
}
