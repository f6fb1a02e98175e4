import { MlflowTestServer } from '../../support/mlflow-server/mlflow-test-server';
import { buildBackend, post, startBackend } from './backend-harness';

const CONCURRENT = 50;

describe('examples/backend as a real service against the loopback MLflow server', () => {
  let mlflow: MlflowTestServer;
  beforeAll(async () => {
    mlflow = await MlflowTestServer.start();
  });
  afterAll(async () => {
    await mlflow.stop();
  });

  it(`serves ${CONCURRENT} concurrent job requests on one runtime: all succeed, every run distinct and FINISHED; SIGTERM stops it cleanly`, async () => {
    const backend = await startBackend(buildBackend(), { MLFLOW_TRACKING_URI: mlflow.uri, MLOPS_CONFIG: 'mlops.yaml' });
    try {
      const first = await post(`${backend.url}/train`, { model: 'churn', epochs: 5 });
      expect(first).toMatchObject({ status: 200, body: { model: 'churn', version: 1 } });

      const requests = Array.from({ length: CONCURRENT }, (_, i) =>
        i % 2 === 0 ? post(`${backend.url}/train`, { model: 'churn', epochs: 5, seed: i }) : post(`${backend.url}/promote`, { model: 'churn', alias: `a${i}`, version: 1 }),
      );
      const answers = await Promise.all(requests);
      expect(answers.filter((a) => a.status !== 200)).toEqual([]);

      const runIds = answers.filter((a) => 'runId' in a.body).map((a) => a.body.runId as string);
      expect(new Set(runIds).size).toBe(CONCURRENT / 2);
      for (const id of [first.body.runId as string, ...runIds]) expect(mlflow.store.runs.get(id)?.status).toBe('FINISHED');
      const versions = answers.filter((a) => 'version' in a.body && 'runId' in a.body).map((a) => a.body.version);
      expect(new Set(versions).size).toBe(CONCURRENT / 2);

      const alias = await fetch(`${backend.url}/models/churn/aliases/a1`);
      expect(alias.status).toBe(200);
      expect(await alias.json()).toMatchObject({ name: 'churn', version: 1 });

      const missing = await post(`${backend.url}/promote`, { model: 'nope' });
      expect(missing).toMatchObject({ status: 404, body: { code: 'MODEL_NOT_FOUND' } });
      const typo = await post(`${backend.url}/promote`, { model: 'churn', alais: 'x' });
      expect(typo.status).toBe(400);
      expect(typo.body.message).toMatch(/^job\.alais: unknown key/);

      // /healthz: runtime.health(), the MLflow server reachable with its generation, nothing waiting for sync
      const health = await fetch(`${backend.url}/healthz`);
      expect(health.status).toBe(200);
      const mlflowOk = { ok: true, started: true, backend: 'mlflow', serverVersion: '3.x', spilling: false, pendingSync: 0 };
      expect(await health.json()).toMatchObject({ ok: true, runningJobs: 0, services: { tracker: mlflowOk, registry: mlflowOk }, predictors: [] });
    } finally {
      backend.child.kill('SIGTERM');
    }
    expect(await backend.exited).toBe(0);
    expect(backend.stdout()).toContain('stopped');
    // an expected failure is one log line, never a stack
    expect(backend.stderr()).not.toMatch(/\n\s+at /);
  }, 120_000);
});

// The same app in-process with in-memory adapters is examples/backend/app.test.ts (the README's testing example).
