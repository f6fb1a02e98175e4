import type { RunConfig } from '../../../domain/model/run';
import type { ILogger } from '../../../domain/ports/logger';
import { assertSamplingInterval, SystemMetricsSampler, type SystemMetricsHandle } from '../system-metrics/system-metrics-sampler';

/** The default sampling interval, as MLflow's (MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL). */
export const DEFAULT_SYSTEM_METRICS_INTERVAL_SECONDS = 10;

/** `tracking.systemMetrics` / `RunConfig.systemMetrics`: off, on at the default interval, or on at an interval. */
export type SystemMetricsSetting = RunConfig['systemMetrics'];

/**
 * The system-metrics samplers of one client's runs: started by createRun when the run (or the client's
 * default) asks for them, stopped when the run ends or the client stops. No sampler, no timer: off costs
 * nothing.
 *
 * @example
 * const sampling = new RunSampling((runId, metrics, step) => client.logMetrics(runId, metrics, { step }), { intervalSeconds: 10 }, logger);
 * sampling.start(run.runId, config.systemMetrics);
 * await sampling.stop(run.runId);
 */
export class RunSampling {
  private readonly handles = new Map<string, SystemMetricsHandle>();
  private sampler: SystemMetricsSampler | undefined;

  constructor(
    private readonly log: (runId: string, metrics: Record<string, number>, step: number) => Promise<void>,
    private readonly fallback: SystemMetricsSetting,
    private readonly logger?: ILogger,
  ) {}

  /** Refuses a bad interval before the run exists (a run created and then refused would be left RUNNING). */
  check(setting: SystemMetricsSetting): void {
    const intervalMs = this.intervalMs(setting);
    if (intervalMs !== undefined) assertSamplingInterval(intervalMs);
  }

  start(runId: string, setting: SystemMetricsSetting): void {
    const intervalMs = this.intervalMs(setting);
    if (intervalMs === undefined) return;
    this.sampler ??= new SystemMetricsSampler(this.logger);
    this.handles.set(runId, this.sampler.start(runId, (metrics, step) => this.log(runId, metrics, step), intervalMs));
  }

  /** Milliseconds between samples for this setting (or the client's), undefined when off. */
  private intervalMs(setting: SystemMetricsSetting): number | undefined {
    const chosen = setting ?? this.fallback;
    if (chosen === undefined || chosen === false) return undefined;
    return ((chosen === true ? undefined : chosen.intervalSeconds) ?? DEFAULT_SYSTEM_METRICS_INTERVAL_SECONDS) * 1000;
  }

  /** Stops the run's sampler and waits for a sample in flight, so nothing is logged after the run ends. */
  async stop(runId: string): Promise<void> {
    const handle = this.handles.get(runId);
    if (handle === undefined) return;
    this.handles.delete(runId);
    await handle.stop();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.handles.keys()].map((runId) => this.stop(runId)));
  }
}
