/**
 * Runs the shared port behaviour suites against the embedded adapters: in-memory and the local MLflow
 * file store (in a fresh temp directory). The MLflow adapter runs the same suites against a real server.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorCodes } from '../../src/domain/errors';
import type { ITracker } from '../../src/domain/ports/tracker';
import { LocalModelRegistry, LocalTracker } from '../../src/infrastructure/tracking/local';
import { InMemoryModelRegistry, InMemoryTracker } from '../../src/infrastructure/tracking/memory';
import { NoOpModelRegistry, NoOpTracker } from '../../src/infrastructure/tracking/noop';
import type { ILogger } from '../../src/domain/ports/logger';
import { describeRegistryBehaviour } from './registry-behaviour';
import { describeTrackerBehaviour } from './tracker-behaviour';

describeTrackerBehaviour('InMemoryTracker', async () => {
  const tracker = new InMemoryTracker({ experimentName: 'behaviour' });
  await tracker.start();
  return { tracker, cleanup: () => tracker.stop() };
});

describeRegistryBehaviour('InMemoryModelRegistry', async () => {
  const tracker = new InMemoryTracker();
  const registry = new InMemoryModelRegistry();
  await tracker.start();
  await registry.start();
  return {
    tracker,
    registry,
    cleanup: async () => {
      await registry.stop();
      await tracker.stop();
    },
  };
});

describeTrackerBehaviour('LocalTracker', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-local-tracker-'));
  const tracker = new LocalTracker({ root, experimentName: 'behaviour' });
  await tracker.start();
  const opened: ITracker[] = [tracker];
  return {
    tracker,
    // a second tracker on the same directory proves what stop() wrote is on disk
    reopen: async () => {
      const again = new LocalTracker({ root: `file://${root}` });
      await again.start();
      opened.push(again);
      return again;
    },
    cleanup: async () => {
      for (const t of opened) await t.stop();
      await fs.rm(root, { recursive: true, force: true });
    },
  };
});

describeRegistryBehaviour('LocalModelRegistry', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-local-registry-'));
  const tracker = new LocalTracker({ root });
  const registry = new LocalModelRegistry({ root });
  await tracker.start();
  await registry.start();
  return {
    tracker,
    registry,
    cleanup: async () => {
      await registry.stop();
      await tracker.stop();
      await fs.rm(root, { recursive: true, force: true });
    },
  };
});

describe('InMemoryTracker / InMemoryModelRegistry query helpers (what job tests assert on)', () => {
  it('exposes runs, metric histories, params, tags and artifacts of what a job logged', async () => {
    const warnings: string[] = [];
    const logger = { warn: (m: string) => void warnings.push(m), info: () => undefined } as unknown as ILogger;
    const tracker = new InMemoryTracker({ experimentName: 'jobs', clock: () => 42, userId: 'ci', logger });
    await tracker.start();
    const run = await tracker.createRun({ runName: 'train' });
    await tracker.logMetric(run.runId, 'rmse', 0.5);
    await tracker.logMetric(run.runId, 'rmse', 0.4, { step: 1 });
    await tracker.logParams(run.runId, { alpha: 0.1, long: 'x'.repeat(7000), longer: 'y'.repeat(7000) });
    await tracker.setTag(run.runId, 'stage', 'final');
    expect(tracker.runs().map((r) => r.info.runName)).toEqual(['train']);
    expect(tracker.metricValues(run.runId, 'rmse')).toEqual([0.5, 0.4]);
    expect(tracker.metrics(run.runId, 'rmse')[0]).toEqual({ key: 'rmse', value: 0.5, step: 0, timestamp: 42 });
    expect(tracker.params(run.runId)).toMatchObject({ alpha: '0.1' });
    expect(tracker.params(run.runId).long).toHaveLength(6000);
    expect(warnings).toHaveLength(1);
    expect(tracker.tags(run.runId)).toMatchObject({ stage: 'final', 'mlflow.runName': 'train', 'mlflow.user': 'ci' });
    expect(tracker.run(run.runId).info).toMatchObject({ experimentId: tracker.defaultExperimentId, userId: 'ci', startTime: 42 });
    expect(tracker.experiments().map((e) => e.name)).toEqual(['Default', 'jobs']);
    expect(tracker.artifacts(run.runId)).toEqual([]);
    expect(tracker.isStarted).toBe(true);
    await tracker.stop();
    expect(tracker.run(run.runId).info.status).toBe('KILLED');
    expect(tracker.isStarted).toBe(false);
  });

  it('exposes versions and aliases per model', async () => {
    const registry = new InMemoryModelRegistry({ clock: () => 7 });
    await registry.createRegisteredModel('churn');
    await registry.createModelVersion({ name: 'churn', source: 's3://b/1' });
    await registry.createModelVersion({ name: 'churn', source: 's3://b/2' });
    await registry.setAlias('churn', 'Champion', 2);
    expect(registry.versions('churn').map((v) => [v.version, v.source, v.creationTimestamp])).toEqual([[1, 's3://b/1', 7], [2, 's3://b/2', 7]]);
    expect(registry.aliases('churn')).toEqual({ Champion: 2 });
    expect(registry.aliases('unknown')).toEqual({});
    expect(registry.registeredModels().map((m) => m.name)).toEqual(['churn']);
  });
});

describe('NoOpTracker / NoOpModelRegistry', () => {
  it('accepts every valid call and returns well-formed values without storing anything; refuses what every backend refuses', async () => {
    const tracker = new NoOpTracker();
    await tracker.start();
    const a = await tracker.createRun({ runName: 'dry' });
    const b = await tracker.createRun();
    expect(a.runId).toMatch(/^[0-9a-f]{32}$/);
    expect(b.runId).not.toBe(a.runId);
    expect(a).toMatchObject({ status: 'RUNNING', runName: 'dry', experimentId: '0' });
    await expect(tracker.logMetric(a.runId, 'loss', NaN)).resolves.toBeUndefined();
    // the same client as every backend: a dry run finds the bad key the real run would hit
    await expect(tracker.logMetric(a.runId, 'bad key!', 1)).rejects.toMatchObject({ code: ErrorCodes.INVALID_KEY });
    await expect(tracker.logParams(a.runId, { x: 1 })).resolves.toBeUndefined();
    await expect(tracker.setTags(a.runId, { t: 'v' })).resolves.toBeUndefined();
    await expect(tracker.logArtifact(a.runId, '/does/not/exist')).resolves.toBeUndefined();
    await tracker.endRun(a.runId, 'FINISHED');
    const run = await tracker.getRun(a.runId);
    expect(run).toMatchObject({ info: { runId: a.runId }, data: { metrics: {}, params: {}, tags: {} } });
    expect((await tracker.searchRuns({ experimentIds: ['0'] })).items).toEqual([]);
    expect(await tracker.getMetricHistory(a.runId, 'm')).toEqual([]);
    expect(tracker.serviceName).toBe('tracker:noop');
    await tracker.stop();
  });

  it('hands out increasing version numbers per model; refuses a reserved alias like every registry', async () => {
    const registry = new NoOpModelRegistry();
    const v1 = await registry.createModelVersion({ name: 'm', source: 's' });
    const v2 = await registry.createModelVersion({ name: 'm', source: 's' });
    const other = await registry.createModelVersion({ name: 'n', source: 's' });
    expect([v1.version, v2.version, other.version]).toEqual([1, 2, 1]);
    expect(v2).toMatchObject({ name: 'm', status: 'READY', source: 's' });
    await expect(registry.setAlias('m', 'Champion', 1)).resolves.toBeUndefined();
    await expect(registry.setAlias('m', 'latest', 1)).rejects.toMatchObject({ code: ErrorCodes.INVALID_ALIAS });
    expect(await registry.getVersionByAlias('m', 'Champion')).toMatchObject({ name: 'm', aliases: ['Champion'] });
    expect(await registry.getLatestVersion('m')).toBeUndefined();
    expect(registry.serviceName).toBe('registry:noop');
  });
});
