import { MlflowTestServer } from '../../support/mlflow-server/mlflow-test-server';
import { buildBackend, post, startBackend } from './backend-harness';

const CLIENTS = 50;
const REFRESH_MS = 400;
/** Time a new version may take to download and load after the refresh that finds it (generous: CI machines are slow). */
const LOAD_ALLOWANCE_MS = 2_500;
const THINK_MS = 20;
const ROW = { hour: 8, temperature: 14.5, humidity: 0.6, windspeed: 10, workingday: 1, holiday: 0, rush_hour: 1 };

interface Answer {
  startedAt: number;
  status: number;
  version?: number;
  prediction?: number;
  code?: string;
}

/**
 * Issue #17's serving promise, end to end: the example backend as a real child process against the
 * loopback MLflow server; 50 clients call `POST /predict/bikes` without pause while a promotion moves
 * `Champion` from v1 to v2. No request fails, and answers switch from v1's predictions to v2's within one
 * refresh (plus the time to load v2).
 */
describe('examples/backend POST /predict/:model while the alias moves', () => {
  let mlflow: MlflowTestServer;
  beforeAll(async () => {
    mlflow = await MlflowTestServer.start();
  });
  afterAll(async () => {
    await mlflow?.stop();
  });

  it(`${CLIENTS} concurrent clients, Champion moved v1 → v2: zero failures, the switch lands within one refresh`, async () => {
    const backend = await startBackend(buildBackend(), { MLFLOW_TRACKING_URI: mlflow.uri, MLOPS_CONFIG: 'mlops.yaml', PREDICT_REFRESH_MS: String(REFRESH_MS) });
    try {
      const v1 = await post(`${backend.url}/train`, { model: 'bikes', epochs: 20, seed: 1 });
      const v2 = await post(`${backend.url}/train`, { model: 'bikes', epochs: 400, seed: 2 });
      expect([v1.body.version, v2.body.version]).toEqual([1, 2]);
      expect((await post(`${backend.url}/promote`, { model: 'bikes', version: 1 })).status).toBe(200);

      // bad requests are 400s naming the column, and never disturb serving
      const missing = await post(`${backend.url}/predict/bikes`, { dataframe_records: [{ ...ROW, hour: undefined }] });
      expect(missing).toMatchObject({ status: 400, body: { code: 'MODEL_INPUT_INVALID' } });
      expect(missing.body.message).toMatch(/"hour"/);
      const nan = await post(`${backend.url}/predict/bikes`, { dataframe_split: { columns: Object.keys(ROW), data: [[8, 'warm', 0.6, 10, 1, 0, 1]] } });
      expect(nan).toMatchObject({ status: 400, body: { code: 'MODEL_INPUT_INVALID' } });
      expect((await post(`${backend.url}/predict/nope`, { dataframe_records: [ROW] })).status).toBe(404);

      const answers: Answer[] = [];
      let stop = false;
      const client = async () => {
        while (!stop) {
          const startedAt = Date.now();
          const { status, body } = await post(`${backend.url}/predict/bikes`, { dataframe_records: [ROW] });
          const predictions = body.predictions as number[] | undefined;
          answers.push({ startedAt, status, version: body.version as number, prediction: predictions?.[0], code: body.code as string });
          // a client's think time: without it 50 loops saturate this process, which also hosts the MLflow
          // server the backend's refresh asks, and the test would measure its own congestion
          await new Promise((resolve) => setTimeout(resolve, THINK_MS));
        }
      };
      const clients = Array.from({ length: CLIENTS }, client);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const promotion = await post(`${backend.url}/promote`, { model: 'bikes', version: 2 });
      const promotedAt = Date.now();
      expect(promotion.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, REFRESH_MS + LOAD_ALLOWANCE_MS + 1_000));
      stop = true;
      await Promise.all(clients);

      expect(answers.filter((a) => a.status !== 200)).toEqual([]);
      const byVersion = (version: number) => answers.filter((a) => a.version === version);
      expect(byVersion(1).length).toBeGreaterThan(CLIENTS);
      expect(byVersion(2).length).toBeGreaterThan(CLIENTS);
      expect(byVersion(1).length + byVersion(2).length).toBe(answers.length);
      // each version answers with its own prediction, every time
      const [p1, p2] = [new Set(byVersion(1).map((a) => a.prediction)), new Set(byVersion(2).map((a) => a.prediction))];
      expect([p1.size, p2.size]).toEqual([1, 1]);
      expect([...p1][0]).not.toBeCloseTo([...p2][0]!, 3);
      // v2 never answered before the promotion; v1 never answered a request started a refresh (plus a load) after it
      expect(Math.min(...byVersion(2).map((a) => a.startedAt))).toBeGreaterThanOrEqual(promotedAt - 1_000);
      expect(Math.max(...byVersion(1).map((a) => a.startedAt))).toBeLessThan(promotedAt + REFRESH_MS + LOAD_ALLOWANCE_MS);

      const health = (await fetch(`${backend.url}/healthz`).then((r) => r.json())) as { predictors: { uri: string; version: number }[] };
      expect(health.predictors).toEqual([expect.objectContaining({ uri: 'models:/bikes@Champion', version: 2 })]);
    } finally {
      backend.child.kill('SIGTERM');
    }
    expect(await backend.exited).toBe(0);
    expect(backend.stderr()).not.toMatch(/\n\s+at /);
  }, 120_000);
});
