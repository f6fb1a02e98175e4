import type { JobRuntime } from '../../application/runtime/job-runtime';

/**
 * The runtime's health as the planned `runtime.health()` reports it: whether its services are reachable
 * (each with a one-line detail when not) and how many jobs are running.
 *
 * @example const { ok, services, runningJobs }: RuntimeHealth = await readRuntimeHealth(runtime);
 */
export interface RuntimeHealth {
  /** False when a service the runtime reports is unreachable. */
  ok: boolean;
  /** Each service by name (`tracker`, `registry` …): reachable or not, with a one-line detail. */
  services: Record<string, { ok: boolean; detail?: string }>;
  /** Jobs running now. */
  runningJobs: number;
}

/**
 * The one place the health indicator reads the runtime's health.
 *
 * TODO(#18 runtime.health()): return `runtime.health()` once it exists (branch `health`): per service
 * reachability, server version, spill state. Until then only what the runtime exposes today is known —
 * the running jobs — and no service is reported, so `ok` is true; predictors are judged by the indicator.
 */
export async function readRuntimeHealth(runtime: JobRuntime): Promise<RuntimeHealth> {
  return { ok: true, services: {}, runningJobs: runtime.runningJobs };
}
