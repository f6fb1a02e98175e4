/**
 * Round trips through the ports: what one LocalTracker/LocalModelRegistry writes, a fresh instance on the
 * same directory reads back (so nothing lives only in memory), and a store written the way MLflow writes
 * it (the golden tree) reads back correctly.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ILogger, LogFields } from '../../../src/domain/ports/logger';
import { LocalModelRegistry, LocalTracker } from '../../../src/infrastructure/tracking/local';
import { T0, listFiles, tempStore } from './store-fixture';

const GOLDEN = path.join(__dirname, '..', '..', 'fixtures', 'golden', 'store');

function recordingLogger(): ILogger & { warnings: { message: string; fields?: LogFields }[] } {
  const warnings: { message: string; fields?: LogFields }[] = [];
  const logger = {
    serviceName: 'logger:test',
    warnings,
    start: async () => undefined,
    stop: async () => undefined,
    debug: () => undefined,
    info: () => undefined,
    error: () => undefined,
    warn: (message: string, fields?: LogFields) => void warnings.push({ message, fields }),
    child: () => logger,
  };
  return logger;
}

describe('LocalTracker / LocalModelRegistry round trips', () => {
  let store: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    store = await tempStore();
  });
  afterEach(async () => {
    await store.remove();
  });

  it('reads back through a fresh instance everything a run logged', async () => {
    const writer = new LocalTracker({ root: store.root, experimentName: 'rt' });
    await writer.start();
    const run = await writer.createRun({ runName: 'r', description: 'd', tags: { team: 'a' } });
    await writer.logMetrics(run.runId, { loss: 0.5, acc: 0.9 }, { step: 1, timestamp: T0 });
    await writer.logMetric(run.runId, 'loss', 0.25, { step: 2, timestamp: T0 + 1 });
    await writer.logParams(run.runId, { lr: 0.01, 'opt/name': 'adam' });
    await writer.setTags(run.runId, { stage: 'final', 'mlflow.runName': 'renamed' });
    await writer.endRun(run.runId, 'FAILED', T0 + 10);
    await writer.stop();

    const reader = new LocalTracker({ root: `file://${store.root}` });
    await reader.start();
    const back = await reader.getRun(run.runId);
    expect(back.info).toMatchObject({ runId: run.runId, status: 'FAILED', endTime: T0 + 10, runName: 'renamed', experimentId: run.experimentId });
    expect(back.data.params).toEqual({ lr: '0.01', 'opt/name': 'adam' });
    expect(back.data.tags).toMatchObject({ team: 'a', stage: 'final', 'mlflow.note.content': 'd', 'mlflow.runName': 'renamed' });
    expect(back.data.metrics.loss).toEqual({ key: 'loss', value: 0.25, step: 2, timestamp: T0 + 1 });
    expect((await reader.getMetricHistory(run.runId, 'loss')).map((m) => m.value)).toEqual([0.5, 0.25]);
    expect((await reader.getExperimentByName('rt'))?.experimentId).toBe(run.experimentId);
    expect((await reader.searchRuns({ experimentIds: [run.experimentId], filter: "params.lr = '0.01'" })).items).toHaveLength(1);
    await reader.stop();
  });

  it('throws ValidationError for a search filter it cannot evaluate instead of ignoring it', async () => {
    const tracker = new LocalTracker({ root: store.root });
    await tracker.start();
    for (const filter of ["metrics.a < 1 OR metrics.b < 1", "datasets.name = 'x'", "attributes.artifact_uri = 'x'", 'metrics.a < "x"']) {
      await expect(tracker.searchRuns({ experimentIds: ['0'], filter })).rejects.toMatchObject({ code: 'VALIDATION' });
    }
    await tracker.stop();
  });

  it('warns once per kind when it truncates long values', async () => {
    const logger = recordingLogger();
    const tracker = new LocalTracker({ root: store.root, logger });
    await tracker.start();
    const run = await tracker.createRun();
    await tracker.logParams(run.runId, { a: 'x'.repeat(7000), b: 'y'.repeat(7000) });
    await tracker.setTag(run.runId, 't', 'z'.repeat(9000));
    expect(logger.warnings.map((w) => w.fields?.kind)).toEqual(['param', 'tag']);
    expect((await tracker.getRun(run.runId)).data.params.b).toHaveLength(6000);
    await tracker.stop();
  });

  it('registry state survives a new instance: versions, aliases, tags, descriptions', async () => {
    const registry = new LocalModelRegistry({ root: store.root });
    await registry.start();
    await registry.createRegisteredModel('churn', { description: 'weekly', tags: { owner: 'ana' } });
    await registry.createModelVersion({ name: 'churn', source: 's3://bucket/churn/1', description: 'first', tags: { 'data/cut': '2024-05' } });
    await registry.createModelVersion({ name: 'churn', source: 's3://bucket/churn/2' });
    await registry.setAlias('churn', 'Champion', 2);
    await registry.stop();

    const again = new LocalModelRegistry({ root: store.root });
    await again.start();
    expect(await again.getRegisteredModel('churn')).toMatchObject({ description: 'weekly', tags: { owner: 'ana' }, aliases: [{ alias: 'Champion', version: 2 }] });
    expect(await again.getModelVersion('churn', 1)).toMatchObject({ description: 'first', tags: { 'data/cut': '2024-05' }, aliases: [] });
    expect(await again.getVersionByAlias('churn', 'Champion')).toMatchObject({ version: 2, source: 's3://bucket/churn/2', aliases: ['Champion'] });
    expect((await again.getLatestVersion('churn'))?.version).toBe(2);
    await again.stop();
  });

  it('reads a store laid out the way MLflow writes it (the golden tree)', async () => {
    const ids = { EXP_ID: '123456789012345678', RUN_A: 'a'.repeat(32), RUN_B: 'b'.repeat(32) };
    const fill = (text: string) => Object.entries(ids).reduce((acc, [k, v]) => acc.split(k).join(v), text.split('<ROOT>').join(store.root));
    for (const file of await listFiles(GOLDEN)) {
      const target = path.join(store.root, fill(file));
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, fill(await fs.readFile(path.join(GOLDEN, file), 'utf8')));
    }
    const tracker = new LocalTracker({ root: store.root });
    await tracker.start();
    const run = await tracker.getRun(ids.RUN_A);
    expect(run.info).toMatchObject({ experimentId: ids.EXP_ID, runName: 'baseline', status: 'FINISHED', startTime: T0, endTime: T0 + 5000, userId: 'ana' });
    expect(run.data.params).toEqual({ alpha: '0.1', 'model/depth': '4' });
    expect(run.data.metrics['eval/loss']?.value).toBe(0.25);
    expect((await tracker.getMetricHistory(ids.RUN_A, 'rmse')).map((m) => m.value)).toEqual([1, 0.1, 1e-7, NaN, Infinity, -Infinity, 1e16, 123456789.125]);
    expect((await tracker.getRun(ids.RUN_B)).info.status).toBe('RUNNING');
    expect(await tracker.getExperiment(ids.EXP_ID)).toMatchObject({ name: 'golden', tags: { team: 'ml' }, artifactLocation: `file://${store.root}/${ids.EXP_ID}` });
    const registry = new LocalModelRegistry({ root: store.root });
    await registry.start();
    expect(await registry.getVersionByAlias('churn', 'Champion')).toMatchObject({ version: 1, runId: ids.RUN_A, status: 'READY', aliases: ['Champion'] });
    expect((await registry.getRegisteredModel('churn')).description).toContain("retail segment's events");
    await tracker.stop();
  });
});
