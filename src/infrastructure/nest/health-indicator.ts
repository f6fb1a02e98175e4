import { Inject, Injectable } from '@nestjs/common';
import type { JobRuntime } from '../../application/runtime/job-runtime';
import type { PredictorStatus } from '../../application/serving/predictor-types';
import type { RuntimeHealth } from '../../application/runtime/runtime-health';
import { MLOPS_RUNTIME } from './tokens';

/**
 * What {@link MlopsHealthIndicator.isHealthy} reports under its key: Terminus's shape
 * (`status: 'up' | 'down'` plus details), so `HealthCheckService.check` takes it as it is.
 *
 * @example const result: MlopsHealthResult = await indicator.isHealthy(); result.mlops.status; // 'up'
 */
export type MlopsHealthResult<Key extends string = 'mlops'> = Record<
  Key,
  {
    status: 'up' | 'down';
    /** Jobs running now. */
    runningJobs: number;
    /** Each service the runtime reports, reachable or not. */
    services: RuntimeHealth['services'];
    /** What each predictor serves; a predictor whose model never loaded is what makes the check `down`. */
    predictors: PredictorStatus[];
  }
>;

/**
 * A Terminus health indicator for the runtime: `down` when a service it reports is unreachable, or when
 * a predictor has no model to serve (its first load failed); a predictor still serving an older version
 * after a failed refresh stays `up`, with the error shown. It builds Terminus's result shape itself, so
 * `@nestjs/terminus` stays the app's choice: `MlopsModule` provides it either way.
 *
 * @example
 * ```ts
 * @Get('health')
 * @HealthCheck()
 * check() {
 *   return this.health.check([() => this.mlops.isHealthy('mlops')]);
 * }
 * ```
 */
@Injectable()
export class MlopsHealthIndicator {
  constructor(@Inject(MLOPS_RUNTIME) private readonly runtime: JobRuntime) {}

  /** The runtime's health under `key` (default `mlops`). */
  async isHealthy<const Key extends string = 'mlops'>(key: Key = 'mlops' as Key): Promise<MlopsHealthResult<Key>> {
    const health = await this.runtime.health();
    const { predictors } = health;
    const serving = predictors.every((p) => p.version !== undefined || p.lastError === undefined);
    const status = health.ok && serving ? 'up' : 'down';
    return { [key]: { status, runningJobs: health.runningJobs, services: health.services, predictors } } as MlopsHealthResult<Key>;
  }
}
