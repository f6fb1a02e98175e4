/**
 * A damaged store fails loudly: a corrupt file is STORE_CORRUPT naming the file, a missing one NotFoundError
 * naming what is missing, so the person at the terminal knows which file to fix.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ErrorCodes, NotFoundError, StoreCorruptError } from '../../../src/domain/errors';
import { LocalModelRegistry, LocalTracker } from '../../../src/infrastructure/tracking/local';
import { tempStore } from './store-fixture';

async function failure(call: () => Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await call();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the call to fail');
}

describe('a corrupt or incomplete local store', () => {
  let store: Awaited<ReturnType<typeof tempStore>>;
  let tracker: LocalTracker;
  let registry: LocalModelRegistry;
  beforeEach(async () => {
    store = await tempStore();
    tracker = new LocalTracker({ root: store.root });
    registry = new LocalModelRegistry({ root: store.root });
    await tracker.start();
    await registry.start();
  });
  afterEach(async () => {
    await tracker.stop().catch(() => undefined); // stop() reports the runs these tests broke on purpose
    await store.remove();
  });

  it('a run meta.yaml that is not YAML → STORE_CORRUPT naming the file (getRun and searchRuns)', async () => {
    const run = await tracker.createRun({ runName: 'r' });
    const file = path.join(store.root, run.experimentId, run.runId, 'meta.yaml');
    await fs.writeFile(file, 'status: [1\n');
    for (const call of [() => tracker.getRun(run.runId), () => tracker.searchRuns({ experimentIds: [run.experimentId] })]) {
      const error = await failure(call);
      expect(error).toBeInstanceOf(StoreCorruptError);
      expect(error.code).toBe(ErrorCodes.STORE_CORRUPT);
      expect(error.message).toContain(file);
    }
  });

  it('a run meta.yaml with a wrong field → STORE_CORRUPT saying which field', async () => {
    const run = await tracker.createRun();
    const file = path.join(store.root, run.experimentId, run.runId, 'meta.yaml');
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace(/^status: 1$/m, 'status: 9'));
    const error = await failure(() => tracker.getRun(run.runId));
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect(error.message).toMatch(/status 9/);
    expect(error.message).toContain(file);
  });

  it('a run directory without meta.yaml → RUN_NOT_FOUND naming the missing file; searches skip it', async () => {
    const run = await tracker.createRun();
    const file = path.join(store.root, run.experimentId, run.runId, 'meta.yaml');
    await fs.rm(file);
    const error = await failure(() => tracker.getRun(run.runId));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.code).toBe(ErrorCodes.RUN_NOT_FOUND);
    expect(error.message).toContain(file);
    expect((await tracker.searchRuns({ experimentIds: [run.experimentId] })).items).toEqual([]);
  });

  it('a corrupt experiment meta.yaml → STORE_CORRUPT naming it', async () => {
    const id = await tracker.getOrCreateExperiment('exp');
    const file = path.join(store.root, id, 'meta.yaml');
    await fs.writeFile(file, '- not\n- a mapping\n');
    const error = await failure(() => tracker.getExperiment(id));
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect(error.message).toContain(file);
  });

  it('a metric file with a broken line → STORE_CORRUPT naming the file and line', async () => {
    const run = await tracker.createRun();
    await tracker.logMetric(run.runId, 'loss', 1);
    await tracker.flush(); // logging is buffered: the value is on disk once flushed
    const file = path.join(store.root, run.experimentId, run.runId, 'metrics', 'loss');
    await fs.appendFile(file, 'garbage\n');
    const error = await failure(() => tracker.getMetricHistory(run.runId, 'loss'));
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect(error.message).toContain(file);
    expect(error.message).toContain('line 2');
  });

  it('an alias file that is not a version number, or a broken version meta.yaml → STORE_CORRUPT naming it', async () => {
    await registry.createRegisteredModel('m');
    await registry.createModelVersion({ name: 'm', source: 's3://b/m' });
    const alias = path.join(store.root, 'models', 'm', 'aliases', 'Champion');
    await fs.mkdir(path.dirname(alias), { recursive: true });
    await fs.writeFile(alias, 'one');
    const aliasError = await failure(() => registry.getVersionByAlias('m', 'Champion'));
    expect(aliasError).toBeInstanceOf(StoreCorruptError);
    expect(aliasError.message).toContain(alias);

    await fs.rm(alias);
    const meta = path.join(store.root, 'models', 'm', 'version-1', 'meta.yaml');
    await fs.writeFile(meta, 'version: [\n');
    const versionError = await failure(() => registry.getModelVersion('m', 1));
    expect(versionError).toBeInstanceOf(StoreCorruptError);
    expect(versionError.message).toContain(meta);
  });

  it('a store root that is a file → STORE_CORRUPT naming the path', async () => {
    const file = path.join(store.root, 'not-a-dir');
    await fs.writeFile(file, 'x');
    const error = await failure(() => new LocalTracker({ root: file }).start());
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect(error.message).toContain(file);
  });

  it('stop() still ends the other runs when one run\'s metadata is broken, then reports the broken one', async () => {
    const broken = await tracker.createRun();
    const healthy = await tracker.createRun();
    const file = path.join(store.root, broken.experimentId, broken.runId, 'meta.yaml');
    await fs.writeFile(file, 'status: [1\n');
    const error = await failure(() => tracker.stop());
    expect(error.message).toContain(file);
    expect((await new LocalTracker({ root: store.root }).getRun(healthy.runId)).info.status).toBe('KILLED');
  });

  it('a missing store directory is created with experiment 0 "Default", like MLflow does', async () => {
    const root = path.join(store.root, 'nested', 'mlruns');
    const fresh = new LocalTracker({ root });
    await fresh.start();
    expect(await fresh.getExperiment('0')).toMatchObject({ name: 'Default', lifecycleStage: 'active' });
    expect(fresh.defaultExperimentId).toBe('0');
    await fresh.stop();
  });

  it('refuses model names that would escape models/ and run ids that would escape the experiment', async () => {
    await expect(registry.createRegisteredModel('..')).rejects.toMatchObject({ code: ErrorCodes.INVALID_MODEL_NAME });
    await expect(registry.createRegisteredModel('50%')).rejects.toMatchObject({ code: ErrorCodes.INVALID_MODEL_NAME });
    await expect(tracker.getRun('../0')).rejects.toMatchObject({ code: ErrorCodes.VALIDATION });
  });
});
