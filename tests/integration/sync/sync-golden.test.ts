import { rm } from 'node:fs/promises';
import path from 'node:path';
import { REQUEST_ID_TAG } from '../../../src/infrastructure/tracking/mlflow/idempotent-create';
import { MlflowTestServer } from '../../support/mlflow-server';
import { METRICS_A, MODEL_BYTES, PARAMS_A, RUN_A, RUN_B, RUN_DELETED, RUN_E, TAGS_A, writeGoldenStore, type GoldenStore } from './golden-store';
import { readServerArtifact, runSync, serverHistory, serverRunFor, writes } from './sync-harness';

const ORIGIN = 'mlops-kit.sync.origin_run_id';
const COMPLETE = 'mlops-kit.sync.complete';

/** Metric rows without repeats of the same (key, value, timestamp, step): what MLflow's SQL store keeps. */
function distinctRows<T extends { value: number; timestamp: number; step: number }>(rows: readonly T[]): T[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const id = `${r.value}\0${r.timestamp}\0${r.step}`;
    return seen.has(id) ? false : (seen.add(id), true);
  });
}

describe('mlops-kit sync: the hand-written golden store into a loopback MLflow server', () => {
  let server: MlflowTestServer;
  let golden: GoldenStore;
  beforeEach(async () => {
    server = await MlflowTestServer.start();
    golden = await writeGoldenStore();
  });
  afterEach(async () => {
    await server.stop();
    await rm(path.dirname(golden.root), { recursive: true, force: true });
  });

  it('replays experiments and runs: name, status, times, params, tags, every metric once with its step and timestamp', async () => {
    const result = await runSync(golden.root, { to: server.uri });
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(0);

    const experiment = server.store.experimentByName('churn')!;
    expect([...experiment.tags]).toEqual([['owner', 'ana']]);

    const a = serverRunFor(server, RUN_A);
    expect(a).toMatchObject({ experimentId: experiment.id, runName: 'baseline', status: 'FINISHED', startTime: 1700000000000, endTime: 1700000060000 });
    expect(Object.fromEntries(a.params)).toEqual(PARAMS_A);
    // the create's idempotency mark rides along (see idempotent-create.ts)
    expect(Object.fromEntries(a.tags)).toEqual({ ...TAGS_A, [ORIGIN]: RUN_A, [COMPLETE]: 'true', [REQUEST_ID_TAG]: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    // the store logged one rmse row twice; like MLflow's SQL store, the server keeps an identical row once
    for (const [key, metric] of Object.entries(METRICS_A)) expect(serverHistory(a, key)).toEqual(distinctRows(metric.values));
    expect(a.metrics).toHaveLength(Object.values(METRICS_A).reduce((n, m) => n + distinctRows(m.values).length, 0));

    const b = serverRunFor(server, RUN_B);
    expect(b).toMatchObject({ runName: 'child', status: 'FAILED', startTime: 1700000010000, endTime: 1700000020000 });
    // the nested run points at its parent's NEW id
    expect(b.tags.get('mlflow.parentRunId')).toBe(a.id);
    expect(b.tags.get('mlflow.user')).toBe('ana');
    expect(serverHistory(b, 'acc').map((m) => [m.value, m.step, m.timestamp])).toEqual([[0.5, 0, 1700000011000], [0.75, 1, 1700000012000]]);

    // a run still RUNNING in the store is replayed but not marked complete, and stays RUNNING on the server
    const e = serverRunFor(server, RUN_E);
    expect(e.tags.get(COMPLETE)).toBeUndefined();
    expect(e.status).toBe('RUNNING');
    expect(serverHistory(e, 'progress')).toHaveLength(1);

    expect([...server.store.runs.values()].some((r) => r.tags.get(ORIGIN) === RUN_DELETED)).toBe(false);
    expect(result.stdout).toContain('runs         3 created, 0 resumed, 0 skipped');
    expect(result.stdout).toContain(`run ${RUN_E} "live" (experiment "churn") is still RUNNING`);
  });

  it('sends metrics through the tracker in batches (log-batch), never one request per value', async () => {
    await runSync(golden.root, { to: server.uri });
    expect(server.requestsTo('runs/log-metric')).toHaveLength(0);
    const batches = server.requestsTo('runs/log-batch').map((r) => (r.body as { metrics?: unknown[] }).metrics?.length ?? 0);
    expect(batches.reduce((n, c) => n + c, 0)).toBe(9 + 2 + 1);
  });

  it('uploads every artifact file, byte for byte, into the new run', async () => {
    await runSync(golden.root, { to: server.uri });
    const a = serverRunFor(server, RUN_A);
    expect(await readServerArtifact(server, a, 'model/model.bin')).toEqual(MODEL_BYTES);
    expect((await readServerArtifact(server, a, 'model/MLmodel')).toString()).toBe('flavors: {}\n');
    expect((await readServerArtifact(server, a, 'report.txt')).toString()).toBe('all good\n');
    const b = serverRunFor(server, RUN_B);
    expect((await readServerArtifact(server, b, 'outputs/weights.txt')).toString()).toBe('w=1\n');
  });

  it('registers model versions with sources rewritten into the new runs, and sets aliases', async () => {
    const result = await runSync(golden.root, { to: server.uri });
    const a = serverRunFor(server, RUN_A);
    const b = serverRunFor(server, RUN_B);
    const model = server.store.models.get('churn-model')!;
    expect(model).toMatchObject({ description: 'Churn classifier' });
    expect([...model.tags]).toEqual([['domain', 'retention']]);
    expect(model.versions.map((v) => ({ version: v.version, source: v.source, runId: v.runId }))).toEqual([
      // stored as file:///<old place>/1/<A>/artifacts/model: found by its run, rewritten into A's new artifact root
      { version: 1, source: `${a.artifactUri}/model`, runId: a.id },
      { version: 2, source: `${b.artifactUri}/outputs`, runId: b.id },
      { version: 3, source: 's3://models-bucket/churn/3', runId: undefined },
    ]);
    expect([...model.versions[0]!.tags]).toEqual([['stage', 'validated'], [REQUEST_ID_TAG, expect.stringMatching(/^[0-9a-f-]{36}$/)]]);
    expect(Object.fromEntries(model.aliases)).toEqual({ Champion: 1, Challenger: 3 });
    // the local source outside every run, and the alias pointing at it, are reported rather than sent
    expect(result.stdout).toContain('version 4');
    expect(result.stdout).toContain('/srv/somewhere/else/model is a local path outside every run of the store');
    expect(result.stdout).toContain('alias "Stale" of model "churn-model" not set');
    expect(result.stdout).toMatch(/versions +3 created, 0 already there, 1 not synced/);
    expect(result.stdout).toMatch(/aliases +2 set, 0 unchanged/);
  });

  it('is idempotent: a second sync writes nothing and says everything was already there', async () => {
    await runSync(golden.root, { to: server.uri });
    const before = server.requests.length;
    const runsBefore = server.store.runs.size;
    const second = await runSync(golden.root, { to: server.uri });
    expect(second.code).toBe(0);
    expect(writes(server.requests.slice(before))).toEqual([]);
    expect(server.store.runs.size).toBe(runsBefore);
    expect(server.store.models.get('churn-model')!.versions).toHaveLength(3);
    // the still-RUNNING run is looked at again (it may have grown), but nothing new was found to send
    expect(second.stdout).toContain('runs         0 created, 1 resumed, 2 skipped (already synced)');
    expect(second.stdout).toMatch(/metrics +0 sent/);
    expect(second.stdout).toMatch(/versions +0 created, 3 already there/);
    expect(second.stdout).toMatch(/aliases +0 set, 2 unchanged/);
  });

  it('--dry-run lists what would be sent and sends nothing', async () => {
    const result = await runSync(golden.root, { to: server.uri, dryRun: true });
    expect(result.code).toBe(0);
    expect(writes(server.requests)).toEqual([]);
    expect(server.store.runs.size).toBe(0);
    expect(result.stdout).toContain('would create experiment "churn"');
    expect(result.stdout).toContain(`would create run ${RUN_A} "baseline" (experiment "churn"): 9 metrics, 3 params, 4 tags, 3 artifacts`);
    expect(result.stdout).toContain(`would create version of "churn-model" (store version 1) from <artifacts of the new run for ${RUN_A}>/model`);
    expect(result.stdout).toContain('would set alias "Champion" of "churn-model"');
    expect(result.stdout).toContain('dry run: nothing was sent.');
    expect(result.stdout).toMatch(/metrics +12 to send/);
  });

  it('--dry-run after a sync says nothing would be created', async () => {
    await runSync(golden.root, { to: server.uri });
    const before = server.requests.length;
    const result = await runSync(golden.root, { to: server.uri, dryRun: true });
    expect(writes(server.requests.slice(before))).toEqual([]);
    expect(result.stdout).toContain('runs         0 would be created, 1 would be resumed, 2 skipped');
    expect(result.stdout).not.toContain('would create');
  });
});
