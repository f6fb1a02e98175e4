import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RunInfo } from '../../../src/domain/model/run';
import { LocalModelRegistry, LocalTracker } from '../../../src/infrastructure/tracking/local';
import { MlflowTracker } from '../../../src/infrastructure/tracking/mlflow';
import { MlflowTestServer, type RecordedRequest } from '../../support/mlflow-server';
import { fastSettings } from '../../support/mlflow-server/client-settings';
import { readServerArtifact, runSync, serverHistory, serverRunFor } from './sync-harness';

const LOSS_STEPS = 1200; // more than one log-batch holds (1000 metrics)
const T0 = 1700000000000;
const UUID = /^[0-9a-f-]{36}$/;

interface BuiltStore {
  root: string;
  parent: RunInfo;
  child: RunInfo;
}

/** A store written by the real local adapters: what `mlops-kit run` and the spill store produce. */
async function buildStore(base: string): Promise<BuiltStore> {
  const root = path.join(base, 'mlruns');
  const tracker = new LocalTracker({ root, experimentName: 'fraud', userId: 'bo' });
  const registry = new LocalModelRegistry({ root });
  await tracker.start();
  await registry.start();
  const parent = await tracker.createRun({ runName: 'sweep', tags: { team: 'fraud' }, startTime: T0 });
  const child = await tracker.createRun({ runName: 'lr-0.1', parentRunId: parent.runId, startTime: T0 + 1000, description: 'first try' });
  for (let step = 0; step < LOSS_STEPS; step++) await tracker.logMetric(child.runId, 'loss', 1 / (step + 1), { step, timestamp: T0 + 2000 + step });
  await tracker.logMetrics(child.runId, { acc: 0.91, 'eval/f1': 0.88 }, { step: 1, timestamp: T0 + 5000 });
  await tracker.logParams(child.runId, { lr: 0.1, epochs: 5, 'model/depth': 3 });
  const modelDir = path.join(base, 'out', 'model');
  await mkdir(modelDir, { recursive: true });
  await writeFile(path.join(modelDir, 'weights.bin'), Buffer.alloc(70_000, 7));
  await writeFile(path.join(modelDir, 'MLmodel'), 'flavors: {}\n');
  await tracker.logArtifact(child.runId, modelDir, 'model');
  await tracker.endRun(child.runId, 'FINISHED', T0 + 9000);
  await tracker.endRun(parent.runId, 'FINISHED', T0 + 9500);
  await tracker.stop();
  await registry.createRegisteredModel('fraud-model', { description: 'catches fraud' });
  await registry.createModelVersion({ name: 'fraud-model', source: `runs:/${child.runId}/model`, runId: child.runId });
  await registry.createModelVersion({ name: 'fraud-model', source: `${child.artifactUri}/model`, runId: child.runId });
  await registry.setAlias('fraud-model', 'Champion', 2);
  await registry.stop();
  return { root, parent, child };
}

describe('mlops-kit sync: a store written by LocalTracker/LocalModelRegistry', () => {
  let server: MlflowTestServer;
  let base: string;
  let built: BuiltStore;
  let local: LocalTracker;
  beforeAll(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'sync-local-'));
    built = await buildStore(base);
    local = new LocalTracker({ root: built.root });
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });
  beforeEach(async () => {
    server = await MlflowTestServer.start();
  });
  afterEach(async () => {
    await server.stop();
  });

  it('the server ends up with what the local tracker reads back: runs, params, tags, full histories', async () => {
    const result = await runSync(built.root, { to: server.uri });
    expect(result.error).toBeUndefined();
    for (const info of [built.parent, built.child]) {
      const stored = await local.getRun(info.runId);
      const remote = serverRunFor(server, info.runId);
      expect(remote).toMatchObject({ runName: stored.info.runName, status: 'FINISHED', startTime: stored.info.startTime, endTime: stored.info.endTime });
      expect(Object.fromEntries(remote.params)).toEqual(stored.data.params);
      // every run the sync creates carries its create's idempotency mark (see idempotent-create.ts)
      const expectedTags: Record<string, unknown> = {
        ...stored.data.tags, 'mlops-kit.sync.origin_run_id': info.runId, 'mlops-kit.sync.complete': 'true', 'mlops-kit.request_id': expect.stringMatching(UUID),
      };
      if (stored.data.tags['mlflow.parentRunId']) expectedTags['mlflow.parentRunId'] = serverRunFor(server, built.parent.runId).id;
      expect(Object.fromEntries(remote.tags)).toEqual(expectedTags);
      for (const key of Object.keys(stored.data.metrics)) expect(serverHistory(remote, key)).toEqual(await local.getMetricHistory(info.runId, key));
      expect(remote.metrics).toHaveLength(Object.keys(stored.data.metrics).length === 0 ? 0 : LOSS_STEPS + 2);
    }
    expect(result.stdout).toMatch(new RegExp(`metrics +${LOSS_STEPS + 2} sent`));
  });

  it('batches within MLflow limits: no log-batch holds more than 1000 metrics', async () => {
    await runSync(built.root, { to: server.uri });
    const sizes = server.requestsTo('runs/log-batch').map((r) => (r.body as { metrics?: unknown[] }).metrics?.length ?? 0);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1000);
    expect(sizes.reduce((n, c) => n + c, 0)).toBe(LOSS_STEPS + 2);
  });

  it('uploads the artifacts and registers both versions inside the new run, with the alias', async () => {
    await runSync(built.root, { to: server.uri });
    const child = serverRunFor(server, built.child.runId);
    expect(await readServerArtifact(server, child, 'model/weights.bin')).toEqual(Buffer.alloc(70_000, 7));
    const model = server.store.models.get('fraud-model')!;
    expect(model.description).toBe('catches fraud');
    // runs:/<old>/model and file:///…/<old>/artifacts/model both land on the new run's artifact root
    expect(model.versions.map((v) => [v.version, v.source, v.runId])).toEqual([
      [1, `${child.artifactUri}/model`, child.id],
      [2, `${child.artifactUri}/model`, child.id],
    ]);
    expect(Object.fromEntries(model.aliases)).toEqual({ Champion: 2 });
  });

  it('resumes a sync that died mid-run: nothing created twice, every metric exactly once', async () => {
    // the child's final status update fails (a 400 is not retried): the sync stops after its metrics landed
    const childUpdate = (r: RecordedRequest): boolean =>
      r.route === 'runs/update' && server.store.runs.get((r.body as { run_id: string }).run_id)?.runName === 'lr-0.1' && (r.body as { status: string }).status === 'FINISHED';
    server.failNext(1, { status: 400, match: childUpdate });
    const first = await runSync(built.root, { to: server.uri });
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('sync stopped by an error; sent so far (run the same command again to resume)');
    expect(serverRunFor(server, built.child.runId).tags.get('mlops-kit.sync.complete')).toBeUndefined();

    const second = await runSync(built.root, { to: server.uri });
    expect(second.error).toBeUndefined();
    expect(second.stdout).toContain('runs         0 created, 1 resumed, 1 skipped');
    const child = serverRunFor(server, built.child.runId);
    expect(child).toMatchObject({ status: 'FINISHED', endTime: T0 + 9000 });
    expect(child.tags.get('mlops-kit.sync.complete')).toBe('true');
    expect(serverHistory(child, 'loss')).toEqual(await local.getMetricHistory(built.child.runId, 'loss'));
    expect(child.metrics).toHaveLength(LOSS_STEPS + 2);
    expect(server.store.models.get('fraud-model')!.versions).toHaveLength(2);
  });

  it('resumes a run whose metrics only partly arrived: sends exactly the missing values', async () => {
    // what an earlier sync that died after 500 loss values would have left on the server
    const tracker = new MlflowTracker(fastSettings(server, { experimentName: 'fraud' }));
    await tracker.start();
    const partial = await tracker.createRun({ runName: 'lr-0.1', startTime: T0 + 1000, tags: { 'mlops-kit.sync.origin_run_id': built.child.runId } });
    const history = await local.getMetricHistory(built.child.runId, 'loss');
    for (const m of history.slice(0, 500)) await tracker.logMetric(partial.runId, 'loss', m.value, { step: m.step, timestamp: m.timestamp });
    await tracker.logParam(partial.runId, 'lr', '0.1');
    await tracker.endRun(partial.runId, 'KILLED');
    await tracker.stop();
    const before = server.requests.length;

    const result = await runSync(built.root, { to: server.uri });
    expect(result.error).toBeUndefined();
    const child = serverRunFor(server, built.child.runId);
    expect(child.id).toBe(partial.runId);
    expect(serverHistory(child, 'loss')).toEqual(history);
    const sent = server.requests.slice(before).filter((r) => r.route === 'runs/log-batch' && (r.body as { run_id: string }).run_id === partial.runId);
    const metricsSent = sent.reduce((n, r) => n + ((r.body as { metrics?: unknown[] }).metrics?.length ?? 0), 0);
    expect(metricsSent).toBe(LOSS_STEPS - 500 + 2);
    const paramsSent = sent.flatMap((r) => ((r.body as { params?: { key: string }[] }).params ?? []).map((p) => p.key)).sort();
    expect(paramsSent).toEqual(['epochs', 'model/depth']);
    expect(child).toMatchObject({ status: 'FINISHED', endTime: T0 + 9000 });
  });

  it('shows progress on a terminal and stays silent otherwise', async () => {
    const onTty = await runSync(built.root, { to: server.uri }, { tty: true });
    expect(onTty.stderr).toContain('sync: runs 2/2');
    expect(onTty.stderr).toContain(`metrics ${(LOSS_STEPS + 2).toLocaleString('en-US')}`);
    expect(onTty.stderr.endsWith('\n')).toBe(true);
    const piped = await runSync(built.root, { to: server.uri });
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toContain('runs         0 created, 0 resumed, 2 skipped');
  });

  it('the store files are left untouched by a sync', async () => {
    const metaFile = path.join(built.root, built.child.experimentId, built.child.runId, 'meta.yaml');
    const before = await readFile(metaFile, 'utf8');
    await runSync(built.root, { to: server.uri });
    expect(await readFile(metaFile, 'utf8')).toBe(before);
  });
});
