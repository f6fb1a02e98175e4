import { reportsHealth, type ServiceHealth } from '../../domain/ports/service-health';
import type { Service } from '../../domain/ports/service';
import type { PredictorStatus } from '../serving/predictor-types';

/**
 * What `runtime.health()` answers, for a health endpoint: `ok` when the runtime is started and every
 * reported service is ok or spilling (jobs keep working: what the server missed waits in the spill
 * store), plus the running jobs, each service's report and each predictor's status. A tracker or
 * registry that reports no health (an app's own adapter) is left out of `services`.
 *
 * @example
 * const health = await runtime.health();
 * res.writeHead(health.ok ? 200 : 503).end(JSON.stringify(health));
 */
export interface RuntimeHealth {
  /** Started, and every reported service ok or spilling: the runtime takes jobs now. */
  ok: boolean;
  /** How many jobs are running now. */
  runningJobs: number;
  /** Each service's own report; one whose adapter reports no health is absent. */
  services: { tracker?: ServiceHealth; registry?: ServiceHealth };
  /** What each predictor serves, and its last error while it has not recovered. */
  predictors: PredictorStatus[];
}

/** Default bound of one service's report: a health endpoint must answer even when a probe hangs. */
export const HEALTH_TIMEOUT_MS = 5_000;

/**
 * One service's report, bounded by `timeoutMs` and never rejecting: undefined when the service reports
 * no health; `started` is what the runtime knows (it started it, or not).
 */
export async function serviceHealth(service: () => Service, started: (service: Service) => boolean, timeoutMs: number): Promise<ServiceHealth | undefined> {
  let adapter: Service;
  try {
    adapter = service();
  } catch (error) {
    // the adapter cannot even be built (a bad URI the container refused): not ok, and why
    return { ok: false, started: false, backend: 'unknown', detail: messageOf(error) };
  }
  if (!reportsHealth(adapter)) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<ServiceHealth>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, started: false, backend: 'unknown', detail: `no health answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    const report = await Promise.race([adapter.health().catch((error: unknown) => ({ ok: false, started: false, backend: 'unknown', detail: messageOf(error) })), late]);
    return { ...report, started: started(adapter) };
  } finally {
    clearTimeout(timer);
  }
}

/** The runtime is healthy when it is started and every reported service is ok, or spilling what it cannot send. */
export function isHealthy(started: boolean, services: RuntimeHealth['services']): boolean {
  return started && Object.values(services).every((s) => s === undefined || s.ok || s.spilling === true);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
