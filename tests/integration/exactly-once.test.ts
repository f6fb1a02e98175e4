import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LocalModelRegistry, LocalTracker } from '../../src/infrastructure/tracking/local';
import { MlflowModelRegistry, MlflowTracker } from '../../src/infrastructure/tracking/mlflow';
import { REQUEST_ID_TAG } from '../../src/infrastructure/tracking/mlflow/idempotent-create';
import { MlflowTestServer } from '../support/mlflow-server';
import { fastSettings } from '../support/mlflow-server/client-settings';
import { runSync } from './sync/sync-harness';
import { LossyProxy } from './exactly-once-proxy';

const RUNS = 6;
const CREATES = /^(runs\/create|model-versions\/create|registered-models\/create)$/;

/** A store of RUNS finished runs, each with a metric and a `model/` artifact, and one model with a version per run. */
async function buildStore(base: string): Promise<string> {
  const root = path.join(base, 'mlruns');
  const tracker = new LocalTracker({ root, experimentName: 'exactly-once', userId: 'ana' });
  const registry = new LocalModelRegistry({ root });
  await tracker.start();
  await registry.start();
  const modelDir = path.join(base, 'model');
  await mkdir(modelDir, { recursive: true });
  await writeFile(path.join(modelDir, 'MLmodel'), 'flavors: {}\n');
  await registry.createRegisteredModel('churn');
  for (let i = 0; i < RUNS; i++) {
    const run = await tracker.createRun({ runName: `run-${i}`, startTime: 1700000000000 + i });
    await tracker.logMetric(run.runId, 'rmse', i / 10, { step: 0, timestamp: 1700000001000 });
    await tracker.logArtifact(run.runId, modelDir, 'model');
    await tracker.endRun(run.runId, 'FINISHED', 1700000002000 + i);
    await registry.createModelVersion({ name: 'churn', source: `runs:/${run.runId}/model`, runId: run.runId });
  }
  await tracker.stop();
  await registry.stop();
  return root;
}

describe('exactly once: a create whose answer is lost makes one entity', () => {
  let server: MlflowTestServer;
  let proxy: LossyProxy;
  let base: string;
  beforeEach(async () => {
    server = await MlflowTestServer.start();
    proxy = await LossyProxy.start(server.uri, CREATES);
    base = await mkdtemp(path.join(os.tmpdir(), 'exactly-once-'));
  });
  afterEach(async () => {
    await proxy.stop();
    await server.stop();
    await rm(base, { recursive: true, force: true });
  });

  it('sync of N runs and N versions through a proxy that drops every first create answer makes N runs and N versions, and says so', async () => {
    const root = await buildStore(base);
    const result = await runSync(root, { to: proxy.uri });
    expect(result.error).toBeUndefined();
    expect(proxy.dropped).toBeGreaterThanOrEqual(2 * RUNS + 1); // every run, every version and the model lost an answer
    const runs = [...server.store.runs.values()];
    expect(runs).toHaveLength(RUNS);
    expect(runs.every((r) => r.status === 'FINISHED' && r.tags.get('mlops-kit.sync.complete') === 'true')).toBe(true);
    expect(server.store.models.get('churn')!.versions).toHaveLength(RUNS);
    expect(result.stdout).toMatch(new RegExp(`runs +${RUNS} created`));
    expect(result.stdout).toMatch(new RegExp(`versions +${RUNS} created`));
    expect(result.stdout).toMatch(/models +1 \(1 created\)/);

    // and a second sync through the same lossy path sends nothing new
    const again = await runSync(root, { to: proxy.uri });
    expect(again.stdout).toMatch(new RegExp(`runs +0 created, 0 resumed, ${RUNS} skipped`));
    expect(server.store.runs.size).toBe(RUNS);
    expect(server.store.models.get('churn')!.versions).toHaveLength(RUNS);
  });

  it("a live job's retried runs/create makes one run, tagged with its request id", async () => {
    const tracker = new MlflowTracker(fastSettings(proxy.uri, { experimentName: 'live' }));
    await tracker.start();
    const run = await tracker.createRun({ runName: 'train' });
    await tracker.endRun(run.runId, 'FINISHED');
    await tracker.stop();
    expect(proxy.dropped).toBe(1);
    // the create landed and its answer was lost; before sending it again the client looked for its request id …
    expect(server.requestsTo('runs/search')).toHaveLength(1);
    expect(server.requestsTo('runs/create')).toHaveLength(1); // … found the run, and did not send it again
    const runs = [...server.store.runs.values()];
    expect(runs).toHaveLength(1);
    expect(runs[0]!.id).toBe(run.runId);
    expect(runs[0]!.status).toBe('FINISHED');
    expect(runs[0]!.tags.get(REQUEST_ID_TAG)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a retried model-versions/create makes one version; a retried registered-models/create reads the model it made', async () => {
    const settings = fastSettings(proxy.uri);
    const registry = new MlflowModelRegistry(settings);
    await registry.start();
    const model = await registry.createRegisteredModel('fraud');
    const v1 = await registry.createModelVersion({ name: 'fraud', source: 's3://bucket/fraud/1' });
    const v2 = await registry.createModelVersion({ name: 'fraud', source: 's3://bucket/fraud/2' });
    await registry.stop();
    expect(model.name).toBe('fraud');
    expect(proxy.dropped).toBe(3);
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(server.store.models.get('fraud')!.versions.map((v) => v.source)).toEqual(['s3://bucket/fraud/1', 's3://bucket/fraud/2']);
  });
});

describe('the loopback server treats a re-sent metric row as real MLflow does', () => {
  it('ignores a log-batch row identical in key, value, timestamp and step; keeps one that differs in any', async () => {
    const server = await MlflowTestServer.start();
    try {
      const tracker = new MlflowTracker(fastSettings(server));
      await tracker.start();
      const run = await tracker.createRun({ runName: 'r' });
      await tracker.stop();
      const batch = { run_id: run.runId, metrics: [{ key: 'loss', value: 0.5, timestamp: 1000, step: 1 }, { key: 'loss', value: Number.NaN, timestamp: 1000, step: 2 }] };
      const send = async (body: unknown): Promise<number> => {
        const answer = await fetch(`${server.uri}/api/2.0/mlflow/runs/log-batch`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body, (_k, v: unknown) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v)),
        });
        return answer.status;
      };
      expect(await send(batch)).toBe(200);
      expect(await send(batch)).toBe(200); // a retry of a batch that had landed
      expect(await send({ run_id: run.runId, metrics: [{ key: 'loss', value: 0.5, timestamp: 1000, step: 3 }, { key: 'loss', value: 0.6, timestamp: 1000, step: 1 }] })).toBe(200);
      const stored = server.store.runs.get(run.runId)!.metrics.map((m) => `${m.value}@${m.step}`);
      expect(stored).toEqual(['0.5@1', 'NaN@2', '0.5@3', '0.6@1']);
    } finally {
      await server.stop();
    }
  });
});
