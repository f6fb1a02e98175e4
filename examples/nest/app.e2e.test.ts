import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { z } from 'zod';
import { defineJob, Job, TYPES, withRun } from 'mlops-kit';
import { MLOPS_RUNTIME, MLOPS_TEST_OPTIONS, type MlopsTestOptions } from 'mlops-kit/nest';
import { InMemoryModelRegistry, InMemoryTracker, MemoryAlerter } from 'mlops-kit/testing';
import { AppModule } from './app.module';
import { APP_JOBS, type AppRuntime } from './app-jobs';

// A job that runs until it is interrupted, inside a tracked run: what a long training looks like at shutdown.
class HoldJob extends Job<{ held: boolean }> {
  readonly kind = 'HoldJob';
  protected async run() {
    return withRun(this.services.tracker, { runName: 'hold' }, () => new Promise<{ held: boolean }>((_, reject) => this.signal.addEventListener('abort', () => reject(new Error('stopped')))), { signal: this.signal });
  }
}
const HoldJobDefinition = defineJob({
  kind: 'HoldJob',
  description: 'Holds until interrupted.',
  schema: z.strictObject({ KIND: z.literal('HoldJob') }),
  uses: ['tracker'],
  create: (context) => new HoldJob(context),
});

/** One row of the synthetic bike-demand data TrainingJob trains on. */
const ROW = { hour: 8, temperature: 14.5, humidity: 0.6, windspeed: 10, workingday: 1, holiday: 0, rush_hour: 1 };
const SHUTDOWN = { deadlineMs: 1_000, graceMs: 1_000 };

/**
 * The integration-test-by-rebinding pattern, in Nest: the app's real module, its adapters rebound to
 * in-memory ones through MLOPS_TEST_OPTIONS (read before anything resolves), driven over real HTTP.
 */
async function boot(changes: MlopsTestOptions): Promise<{ app: INestApplication; url: string }> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).overrideProvider(MLOPS_TEST_OPTIONS).useValue(changes).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as Record<string, unknown>,
  }));

describe('examples/nest with in-memory adapters', () => {
  const tracker = new InMemoryTracker();
  const registry = new InMemoryModelRegistry();
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    ({ app, url } = await boot({ profile: 'test', env: {}, overrides: { [TYPES.Tracker]: tracker, [TYPES.ModelRegistry]: registry, [TYPES.Alerter]: new MemoryAlerter() } }));
  });
  afterAll(() => app?.close());

  it('trains, promotes, then predicts with the Champion', async () => {
    const trained = await post(`${url}/train`, { model: 'churn', epochs: 5, rows: 60 });
    expect(trained).toMatchObject({ status: 200, body: { version: 1 } });
    expect(tracker.runs().map((r) => r.info.status)).toEqual(['FINISHED']);
    expect((await post(`${url}/promote`, { model: 'churn', version: 1 })).status).toBe(200);
    expect((await registry.getVersionByAlias('churn', 'Champion')).version).toBe(1);

    const predicted = await post(`${url}/predict/churn`, { dataframe_records: [ROW] });
    expect(predicted).toMatchObject({ status: 200, body: { model: 'churn', version: 1 } });
    expect(predicted.body.predictions).toEqual([expect.any(Number)]);
  });

  it('runs the app-defined kind through the typed runtime', async () => {
    expect(await post(`${url}/greet/Ada`, {})).toEqual({ status: 200, body: { greeting: 'hello Ada' } });
  });

  it('answers mlops-kit errors with their status: a bad body 400 naming the key, an unknown model 404', async () => {
    const bad = await post(`${url}/train`, { model: 'churn', epochs: 'many' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ statusCode: 400, code: 'CONFIG_INVALID' });
    expect(bad.body.message).toMatch(/epochs/);

    const unknown = await post(`${url}/predict/no-such-model`, { dataframe_records: [{ x: 1 }] });
    expect(unknown).toMatchObject({ status: 404, body: { statusCode: 404, code: expect.stringMatching(/NOT_FOUND/) } });
  });

  it('leaves errors that are not mlops-kit errors to Nest: an unknown route is its own 404', async () => {
    const response = await post(`${url}/no-such-route`, {});
    expect(response).toEqual({ status: 404, body: { statusCode: 404, error: 'Not Found', message: 'Cannot POST /no-such-route' } });
  });

  it('reports health through Terminus', async () => {
    const health = (await fetch(`${url}/health`).then((r) => r.json())) as { status: string; info: { mlops: { status: string; predictors: { uri: string }[] } } };
    expect(health.status).toBe('ok');
    expect(health.info.mlops.status).toBe('up');
    expect(health.info.mlops.predictors.map((p) => p.uri)).toEqual(['models:/churn@Champion']);
  });
});

describe('examples/nest shutdown under load', () => {
  it(`app.close() with 30 long jobs in flight returns within deadline + grace; the jobs end interrupted, their runs KILLED`, async () => {
    const tracker = new InMemoryTracker();
    const { app, url } = await boot({ profile: 'test', env: {}, jobs: [...APP_JOBS, HoldJobDefinition], overrides: { [TYPES.Tracker]: tracker }, shutdown: SHUTDOWN });
    const runtime = app.get<AppRuntime>(MLOPS_RUNTIME);
    const answers = Array.from({ length: 30 }, () => post(`${url}/jobs/HoldJob`, {}));
    // hang bound, not a timing assertion: the 30 requests reach their jobs
    for (let i = 0; i < 500 && runtime.runningJobs < 30; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(runtime.runningJobs).toBe(30);

    const started = Date.now();
    await app.close();
    const elapsed = Date.now() - started;

    // generous slack: the bound that matters is "not the ~forever the jobs would run"
    expect(elapsed).toBeLessThan(SHUTDOWN.deadlineMs + SHUTDOWN.graceMs + 5_000);
    const settled = await Promise.all(answers);
    expect(settled.map((a) => [a.status, a.body.code])).toEqual(Array(30).fill([499, 'JOB_INTERRUPTED']));
    expect(tracker.runs().map((r) => r.info.status)).toEqual(Array(30).fill('KILLED'));
    expect(runtime.runningJobs).toBe(0);
  });
});
