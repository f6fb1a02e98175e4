import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { IModelRegistry } from '../../../src/domain/ports/model-registry';
import type { ITracker } from '../../../src/domain/ports/tracker';
import { TYPES } from '../../../src/domain/tokens';
import { createContainer } from '../../../src/infrastructure/container';
import { MemoryLogger } from '../../../src/infrastructure/logging';
import { MlflowTracker } from '../../../src/infrastructure/tracking/mlflow';
import { MlflowTestServer } from '../../support/mlflow-server';
import { fastSettings } from '../../support/mlflow-server/client-settings';
import { readServerArtifact, runSync, serverHistory, serverRunFor, writes } from './sync-harness';

/**
 * The spill store is what `tracking.onUnavailable: spill` leaves behind when the server goes away: runs
 * created during the outage, and MIRROR runs holding what existing server runs could not take. Sync must
 * create the former and append the latter to the server run they belong to, each value exactly once.
 */
describe('mlops-kit sync of a spill store back into the server that was down', () => {
  let server: MlflowTestServer;
  let dir: string;
  beforeEach(async () => {
    server = await MlflowTestServer.start();
    dir = await mkdtemp(path.join(os.tmpdir(), 'sync-spill-'));
  });
  afterEach(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs a job-like sequence through the real container wiring while the server fails every request. */
  async function jobThroughAnOutage(): Promise<{ serverRunId: string }> {
    const container = createContainer({
      config: { tracking: { uri: server.uri, maxRetries: 1, backoffFactor: 0.01, backoffJitter: 0, experimentName: 'outage-test' }, job: { KIND: 'ExampleJob' } },
      env: {},
      cwd: dir,
      overrides: { [TYPES.Logger]: new MemoryLogger() },
    });
    const tracker = container.get<ITracker>(TYPES.Tracker);
    const registry = container.get<IModelRegistry>(TYPES.ModelRegistry);
    await tracker.start();
    await registry.start();
    const run = await tracker.createRun({ runName: 'long-training' });
    await tracker.logParam(run.runId, 'alpha', 0.5);
    await tracker.flush();
    server.failFor(60_000, { status: 503 });
    for (let step = 0; step < 30; step++) await tracker.logMetric(run.runId, 'loss', step / 10, { step, timestamp: 1_000 + step });
    await tracker.logParam(run.runId, 'beta', 'late');
    const report = path.join(dir, 'report.txt');
    await writeFile(report, 'written during the outage\n');
    await tracker.logArtifact(run.runId, report, 'reports');
    const nested = await tracker.createRun({ runName: 'eval', parentRunId: run.runId });
    await tracker.logMetric(nested.runId, 'auc', 0.8, { step: 0, timestamp: 2_000 });
    await tracker.endRun(nested.runId, 'FINISHED', 2_500);
    await tracker.endRun(run.runId, 'FINISHED', 3_000);
    await registry.createRegisteredModel('outage-model');
    await registry.createModelVersion({ name: 'outage-model', source: `runs:/${run.runId}/reports`, runId: run.runId });
    await tracker.stop();
    await registry.stop();
    server.faults.clear(); // the server is back
    return { serverRunId: run.runId };
  }

  it('appends the mirror to the server run, creates the runs made during the outage, and a second sync sends nothing', async () => {
    const { serverRunId } = await jobThroughAnOutage();
    const spillDir = path.join(dir, 'mlruns-spill');
    expect(server.store.runs.get(serverRunId)!.metrics).toHaveLength(0);

    const result = await runSync(spillDir, { to: server.uri });
    expect(result.error).toBeUndefined();
    const original = server.store.runs.get(serverRunId)!;
    expect(serverHistory(original, 'loss')).toEqual([...Array(30).keys()].map((s) => ({ key: 'loss', value: s / 10, step: s, timestamp: 1_000 + s })));
    expect(Object.fromEntries(original.params)).toEqual({ alpha: '0.5', beta: 'late' });
    expect(original).toMatchObject({ status: 'FINISHED', endTime: 3_000, runName: 'long-training' });
    expect((await readServerArtifact(server, original, 'reports/report.txt')).toString()).toBe('written during the outage\n');
    expect([...original.tags.keys()].filter((k) => k.startsWith('mlops-kit.sync.mirror.'))).toHaveLength(1);

    // the run created during the outage is new on the server, still nested under the server run
    const nested = [...server.store.runs.values()].find((r) => r.runName === 'eval')!;
    expect(nested.tags.get('mlflow.parentRunId')).toBe(serverRunId);
    expect(serverHistory(nested, 'auc')).toEqual([{ key: 'auc', value: 0.8, step: 0, timestamp: 2_000 }]);
    expect(nested.tags.get('mlops-kit.sync.complete')).toBe('true');

    const model = server.store.models.get('outage-model')!;
    expect(model.versions.map((v) => [v.source, v.runId])).toEqual([[`runs:/${serverRunId}/reports`, serverRunId]]);
    expect(result.stdout).toContain('1 spilled run appended to server runs');

    const before = server.requests.length;
    const second = await runSync(spillDir, { to: server.uri });
    expect(writes(server.requests.slice(before))).toEqual([]);
    expect(second.stdout).toContain('runs         0 created, 0 resumed, 2 skipped');
  });

  it('values whose batch did land before the client gave up are not sent twice', async () => {
    const { serverRunId } = await jobThroughAnOutage();
    // what the server holds when a batch arrived but its answer was lost: the first 10 values are there already
    const tracker = new MlflowTracker(fastSettings(server));
    for (let step = 0; step < 10; step++) await tracker.logMetric(serverRunId, 'loss', step / 10, { step, timestamp: 1_000 + step });
    await tracker.flush();
    await tracker.stop();

    const result = await runSync(path.join(dir, 'mlruns-spill'), { to: server.uri });
    expect(result.error).toBeUndefined();
    expect(serverHistory(server.store.runs.get(serverRunId)!, 'loss').map((m) => m.step)).toEqual([...Array(30).keys()]);
  });

  it('a mirror whose server run the target does not have is reported, not turned into a new run', async () => {
    await jobThroughAnOutage();
    const other = await MlflowTestServer.start();
    try {
      const result = await runSync(path.join(dir, 'mlruns-spill'), { to: other.uri });
      expect(result.error).toBeUndefined();
      expect(result.stdout).toMatch(/spilled values of run \w+ \(spill run \w+\) not synced: the target has no run/);
      expect([...other.store.runs.values()].map((r) => r.runName)).toEqual(['eval']);
      expect(serverRunFor(other, [...other.store.runs.values()][0]!.tags.get('mlops-kit.sync.origin_run_id')!).runName).toBe('eval');
    } finally {
      await other.stop();
    }
  });
});
