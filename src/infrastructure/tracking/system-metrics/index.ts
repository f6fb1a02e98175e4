// Opt-in system metrics for a run, under MLflow's system/ metric names.
export { MIN_SYSTEM_METRICS_INTERVAL_MS, SystemMetricsSampler, type SystemMetricsHandle, type SystemMetricsSink } from './system-metrics-sampler';
export { SystemMetricNames, SystemProbe } from './system-probe';
