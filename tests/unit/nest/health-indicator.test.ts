import type { JobRuntime, PredictorStatus, RuntimeHealth } from 'mlops-kit';
import { MlopsHealthIndicator } from 'mlops-kit/nest';

/** The indicator on a runtime whose health() reports these predictors, running jobs and services. */
const indicatorOn = (statuses: PredictorStatus[], running = 0, services: RuntimeHealth['services'] = {}, ok = true) =>
  new MlopsHealthIndicator({ health: async (): Promise<RuntimeHealth> => ({ ok, runningJobs: running, services, predictors: statuses }) } as unknown as JobRuntime);

const failure = { code: 'TRACKER_UNAVAILABLE' as const, message: 'MLflow at http://mlflow:5000 is unreachable.', at: 1 };

it('is up under its key with the running jobs and predictors, in the shape Terminus reads', async () => {
  const serving: PredictorStatus = { uri: 'models:/churn@Champion', model: 'churn', version: 3, loadedAt: 1 };
  expect(await indicatorOn([serving], 2).isHealthy('models')).toEqual({ models: { status: 'up', runningJobs: 2, services: {}, predictors: [serving] } });
  expect(Object.keys(await indicatorOn([]).isHealthy())).toEqual(['mlops']);
});

it('is down when a predictor has no model to serve (its first load failed)', async () => {
  const result = await indicatorOn([{ uri: 'models:/churn@Champion', lastError: failure }]).isHealthy();
  expect(result.mlops.status).toBe('down');
  expect(result.mlops.predictors[0]!.lastError?.code).toBe('TRACKER_UNAVAILABLE');
});

it('stays up while a predictor serves an older version after a failed refresh, the error shown', async () => {
  const stale: PredictorStatus = { uri: 'models:/churn@Champion', version: 2, lastError: failure };
  expect((await indicatorOn([stale]).isHealthy()).mlops).toMatchObject({ status: 'up', predictors: [stale] });
});

it('a predictor still loading its first version is not a failure', async () => {
  expect((await indicatorOn([{ uri: 'models:/churn@Champion' }]).isHealthy()).mlops.status).toBe('up');
});

it('is down when runtime.health() is not ok (a service unreachable and not spilling), naming the service', async () => {
  const tracker = { ok: false, started: true, backend: 'mlflow', detail: 'MLflow at http://mlflow:5000 refused the login (401).' };
  const result = await indicatorOn([], 0, { tracker }, false).isHealthy();
  expect(result.mlops).toMatchObject({ status: 'down', services: { tracker } });
});
