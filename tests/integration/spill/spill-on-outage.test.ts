import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TYPES } from '../../../src/domain/tokens';
import type { ITracker } from '../../../src/domain/ports/tracker';
import type { IModelRegistry } from '../../../src/domain/ports/model-registry';
import { createContainer } from '../../../src/infrastructure/container';
import { LocalTracker } from '../../../src/infrastructure/tracking/local';
import { MemoryLogger } from '../../../src/infrastructure/logging';
import { SPILL_REMOTE_RUN_TAG } from '../../../src/infrastructure/tracking/spill';
import { MlflowTestServer } from '../../support/mlflow-server';

/**
 * `tracking.onUnavailable: spill` through the real container wiring, against the loopback MLflow server
 * with fault injection: what the server could not take must be in the spill store, exactly once.
 */
describe('spill on outage', () => {
  let server: MlflowTestServer;
  let dir: string;
  let logger: MemoryLogger;

  beforeEach(async () => {
    server = await MlflowTestServer.start();
    dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-spill-'));
    logger = new MemoryLogger();
  });
  afterEach(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const compose = (tracking: Record<string, unknown> = {}) => {
    const container = createContainer({
      config: { tracking: { uri: server.uri, maxRetries: 2, backoffFactor: 0.01, backoffJitter: 0, experimentName: 'spill-test', ...tracking }, job: { KIND: 'ExampleJob' } },
      env: {},
      cwd: dir,
      overrides: { [TYPES.Logger]: logger },
    });
    return { tracker: container.get<ITracker>(TYPES.Tracker), registry: container.get<IModelRegistry>(TYPES.ModelRegistry) };
  };
  const spillDir = () => path.join(dir, 'mlruns-spill');
  const spillWarnings = () => logger.entries.filter((e) => e.level === 'warn' && e.message.includes('spilled'));

  it('a 503 window shorter than the retry budget loses nothing and spills nothing', async () => {
    const { tracker } = compose();
    await tracker.start();
    const run = await tracker.createRun({ runName: 'blip' });
    server.failNext(2, { status: 503, match: (r) => r.path.endsWith('runs/log-batch') });
    for (let step = 0; step < 50; step++) await tracker.logMetric(run.runId, 'loss', step, { step });
    await tracker.endRun(run.runId);
    await tracker.stop();
    expect(server.store.runs.get(run.runId)!.metrics.map((m) => m.step)).toEqual([...Array(50).keys()]);
    expect(server.store.runs.get(run.runId)!.status).toBe('FINISHED');
    expect(spillWarnings()).toHaveLength(0);
  });

  it('a server that goes away mid-run: undelivered values land in a mirror run, once, and one warning says how to send them', async () => {
    const { tracker } = compose();
    await tracker.start();
    const run = await tracker.createRun({ runName: 'outage' });
    await tracker.logParam(run.runId, 'alpha', 0.5);
    await tracker.flush();
    server.failFor(60_000, { status: 503 }); // never comes back during this test
    for (let step = 0; step < 30; step++) await tracker.logMetric(run.runId, 'loss', step / 10, { step, timestamp: 1_000 + step });
    await tracker.endRun(run.runId, 'FINISHED');
    await tracker.stop();

    expect(server.store.runs.get(run.runId)!.metrics).toHaveLength(0);
    const spill = new LocalTracker({ root: spillDir() });
    await spill.start();
    const experiment = await spill.getExperimentByName('spill-test');
    const { items } = await spill.searchRuns({ experimentIds: [experiment!.experimentId] });
    expect(items).toHaveLength(1);
    const mirror = items[0]!;
    expect(mirror.data.tags[SPILL_REMOTE_RUN_TAG]).toBe(run.runId);
    expect(mirror.info.status).toBe('FINISHED');
    const history = await spill.getMetricHistory(mirror.info.runId, 'loss');
    expect(history.map((m) => [m.step, m.value, m.timestamp])).toEqual([...Array(30).keys()].map((s) => [s, s / 10, 1_000 + s]));
    await spill.stop();

    const warnings = spillWarnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('30 metric value(s)');
    expect(warnings[0]!.message).toContain(`mlops-kit sync ${spillDir()} --to ${server.uri}`);
  });

  it('a server that dies mid-job costs ONE retry budget in all: later batches, registry writes and artifacts spill at once, one warning', async () => {
    // budget: 3 retries of 0.5, 1, 2 s = 3.5 s; four budgets in a row (log-batch, artifact, registry, log-batch) would be > 14 s
    const { tracker, registry } = compose({ maxRetries: 3, backoffFactor: 0.5 });
    await tracker.start();
    await registry.start();
    const run = await tracker.createRun({ runName: 'dies' });
    await tracker.flush();
    server.failFor(60_000, { status: 503 });
    const began = Date.now();
    for (let step = 0; step < 5_000; step++) void tracker.logMetric(run.runId, 'loss', step, { step });
    await tracker.flush();
    const afterBudget = Date.now() - began;
    const artifact = path.join(dir, 'model.txt');
    await writeFile(artifact, 'weights');
    const fastBegan = Date.now();
    await tracker.logArtifact(run.runId, artifact, 'model');
    await registry.createRegisteredModel('dies-model');
    await tracker.logMetric(run.runId, 'loss', -1, { step: 5_000 });
    await tracker.flush();
    const afterOutage = Date.now() - fastBegan;
    await tracker.endRun(run.runId);
    await registry.stop();
    await tracker.stop();

    expect(afterBudget).toBeLessThan(10_000);
    expect(afterOutage).toBeLessThan(1_000); // no second budget: the breaker is shared by tracker, registry and artifacts
    expect(server.requestsTo('registered-models/create')).toHaveLength(0);
    expect(server.requests.filter((r) => r.path.includes('mlflow-artifacts'))).toHaveLength(0);
    const warnings = logger.entries.filter((e) => e.level === 'warn');
    expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining('5001 metric value(s)')]);
    expect(warnings[0]!.message).toMatch(/1 artifact upload\(s\), 1 registry write\(s\)/);
  }, 30_000);

  it('a server that is down from the start: runs, params, metrics, artifacts and registry writes all go to the spill store', async () => {
    const { tracker, registry } = compose();
    await server.stop(); // nothing listens any more
    await tracker.start();
    await registry.start();
    const run = await tracker.createRun({ runName: 'offline', description: 'trained on a plane' });
    await tracker.logParams(run.runId, { lr: 0.1, epochs: 3 });
    for (let step = 0; step < 3; step++) await tracker.logMetric(run.runId, 'loss', 1 / (step + 1), { step });
    await tracker.endRun(run.runId);
    await registry.createRegisteredModel('offline-model');
    const version = await registry.createModelVersion({ name: 'offline-model', source: `${run.artifactUri}/model`, runId: run.runId });
    await registry.setAlias('offline-model', 'Champion', version.version);
    expect((await registry.getVersionByAlias('offline-model', 'Champion')).version).toBe(version.version);
    await registry.stop();
    await tracker.stop();

    const spill = new LocalTracker({ root: spillDir() });
    await spill.start();
    const stored = await spill.getRun(run.runId);
    expect(stored.info.status).toBe('FINISHED');
    expect(stored.data.params).toEqual({ lr: '0.1', epochs: '3' });
    expect((await spill.getMetricHistory(run.runId, 'loss')).map((m) => m.step)).toEqual([0, 1, 2]);
    await spill.stop();
    expect(spillWarnings()).toHaveLength(1);
    expect(spillWarnings()[0]!.message).toMatch(/1 run\(s\), 3 metric value\(s\), 2 param\(s\).*registry write/);
    server = await MlflowTestServer.start(); // for afterEach
  });

  it('a run created after the server died lives in the spill store, in an experiment of the same name, still naming its server parent', async () => {
    const { tracker } = compose();
    await tracker.start();
    const parent = await tracker.createRun({ runName: 'parent', experimentName: 'nested-exp' });
    await tracker.flush();
    server.failFor(60_000, { status: 503 });
    const child = await tracker.createRun({ runName: 'child', experimentId: parent.experimentId, parentRunId: parent.runId });
    await tracker.logMetric(child.runId, 'loss', 0.5);
    await tracker.endRun(child.runId);
    await tracker.stop();

    expect(server.store.runs.has(child.runId)).toBe(false);
    const spill = new LocalTracker({ root: spillDir() });
    await spill.start();
    const stored = await spill.getRun(child.runId);
    expect(stored.info.status).toBe('FINISHED');
    expect(stored.info.experimentId).toBe((await spill.getExperimentByName('nested-exp'))?.experimentId);
    expect(stored.data.tags['mlflow.parentRunId']).toBe(parent.runId);
    expect(stored.data.metrics.loss?.value).toBe(0.5);
    // the parent was left open: stop marked its mirror KILLED, which sync tells the server
    const { items } = await spill.searchRuns({ experimentIds: [(await spill.getExperimentByName('spill-test'))!.experimentId] });
    expect(items.map((r) => [r.data.tags[SPILL_REMOTE_RUN_TAG], r.info.status])).toEqual([[parent.runId, 'KILLED']]);
    await spill.stop();
    expect(spillWarnings().map((w) => w.message)).toEqual([expect.stringMatching(/spilled 2 run\(s\), 1 metric value\(s\)/)]);
  }, 30_000);

  it('onUnavailable: fail makes the job fail instead, and spills nothing', async () => {
    const { tracker } = compose({ onUnavailable: 'fail' });
    await tracker.start();
    const run = await tracker.createRun({});
    server.failFor(60_000, { status: 503 });
    await tracker.logMetric(run.runId, 'loss', 1);
    await expect(tracker.flush()).rejects.toMatchObject({ code: 'TRACKER_UNAVAILABLE' });
    // the caller caught the flush error, but values were lost: stopping must still fail the job
    await expect(tracker.stop()).rejects.toMatchObject({ code: 'TRACKER_UNAVAILABLE' });
    expect(spillWarnings()).toHaveLength(0);
  });
});
