import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createContainer, createRuntime, TYPES, type ITracker } from 'mlops-kit';
import { MemoryAlerter, MemoryLogger } from 'mlops-kit/testing';
import { MlflowTestServer } from '../../support/mlflow-server/mlflow-test-server';

type Backend = { name: string; uri: () => string };

let server: MlflowTestServer;
let dir: string;
beforeAll(async () => {
  server = await MlflowTestServer.start();
  dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-runtime-'));
});
afterAll(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

const backends: Backend[] = [
  { name: 'memory', uri: () => 'memory:' },
  { name: 'local store', uri: () => path.join(dir, 'mlruns') },
  { name: 'loopback MLflow', uri: () => server.uri },
];

/** Every run the container's tracker knows, by id: status and the metric each job logged. */
async function runsOf(tracker: ITracker, ids: string[]) {
  return Promise.all(ids.map(async (id) => (await tracker.getRun(id)).info.status));
}

describe.each(backends)('one runtime, many jobs, on the $name backend', ({ uri }) => {
  it('runs jobs in sequence and 20 at once on the same started services, survives close → start, and loses nothing', async () => {
    const container = createContainer({
      config: { tracking: { uri: uri(), experimentName: `runtime-${Date.now()}`, spillDir: path.join(dir, 'spill') } },
      overrides: { [TYPES.Logger]: new MemoryLogger(), [TYPES.Alerter]: new MemoryAlerter() },
    });
    const runtime = createRuntime(container);
    const tracker = container.get(TYPES.Tracker);
    const ids: string[] = [];

    await runtime.start();
    for (let i = 0; i < 3; i++) ids.push((await runtime.run({ KIND: 'ExampleJob', metric: 'seq', value: i })).runId);
    const concurrent = await Promise.all(Array.from({ length: 20 }, (_, i) => runtime.run({ KIND: 'ExampleJob', metric: 'par', value: i })));
    ids.push(...concurrent.map((r) => r.runId));
    const trained = await runtime.run({ KIND: 'TrainingJob', model: 'rt-model', epochs: 5, rows: 40 });
    await runtime.close();

    // stop → start: the same adapters come back and keep working
    await runtime.start();
    ids.push((await runtime.run({ KIND: 'ExampleJob', metric: 'after-restart', value: 1 })).runId);
    const promoted = await runtime.run({ KIND: 'PromotionJob', model: 'rt-model' });
    expect(promoted.version).toBe(trained.version);
    expect(new Set(ids).size).toBe(24);
    expect(await runsOf(tracker, ids)).toEqual(Array(24).fill('FINISHED'));
    const values = await Promise.all(concurrent.map(async (r) => (await tracker.getMetricHistory(r.runId, 'par')).map((m) => m.value)));
    expect(values.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    await runtime.close();
  }, 60_000);
});
