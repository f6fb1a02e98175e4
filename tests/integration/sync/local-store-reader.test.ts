import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ErrorCodes, StoreCorruptError, UsageError } from '../../../src/domain/errors';
import { LocalStoreReader } from '../../../src/infrastructure/sync';
import { EXPERIMENT, METRICS_A, MODEL_BYTES, PARAMS_A, RUN_A, RUN_B, RUN_DELETED, RUN_E, RUN_HALF, TAGS_A, writeGoldenStore, type GoldenStore } from './golden-store';

describe('LocalStoreReader on a hand-written MLflow file store', () => {
  let golden: GoldenStore;
  beforeEach(async () => {
    golden = await writeGoldenStore();
  });
  afterEach(async () => {
    await rm(path.dirname(golden.root), { recursive: true, force: true });
  });

  it('reads experiments, runs (parents first), tags and run metadata exactly as written', async () => {
    const index = await new LocalStoreReader(golden.root).open();
    expect(index.root).toBe(golden.root);
    expect(index.experiments.map((e) => [e.experimentId, e.name])).toEqual([['0', 'Default'], [EXPERIMENT.id, EXPERIMENT.name]]);
    expect(index.experiments[1]!.tags).toEqual({ owner: 'ana' });
    // the child starts later than its parent in this store, but parents-first must hold regardless
    expect(index.runs.map((r) => r.runId)).toEqual([RUN_A, RUN_B, RUN_E]);
    const a = index.runs[0]!;
    expect(a).toMatchObject({ runName: 'baseline', status: 'FINISHED', startTime: 1700000000000, endTime: 1700000060000, userId: 'ana', experimentName: 'churn' });
    expect(a.tags).toEqual(TAGS_A);
    expect(a.artifactsDir).toBe(path.join(golden.root, '1', RUN_A, 'artifacts'));
    expect(index.runs[1]).toMatchObject({ status: 'FAILED', tags: { 'mlflow.parentRunId': RUN_A, 'mlflow.runName': 'child' } });
    expect(index.runs[2]).toMatchObject({ status: 'RUNNING', endTime: undefined });
  });

  it('leaves out deleted runs and half-created run directories, saying so', async () => {
    const index = await new LocalStoreReader(golden.root).open();
    expect(index.runs.map((r) => r.runId)).not.toContain(RUN_DELETED);
    expect(index.runs.map((r) => r.runId)).not.toContain(RUN_HALF);
    expect(index.warnings.join('\n')).toContain(`run ${RUN_DELETED} in experiment "churn" is deleted`);
    expect(index.warnings.join('\n')).toContain(path.join(golden.root, '1', RUN_HALF));
  });

  it('reads params, FULL metric histories (nested keys, nan/inf, legacy lines, duplicates) and artifact files', async () => {
    const reader = new LocalStoreReader(golden.root);
    const index = await reader.open();
    const data = await reader.readRun(index.runs[0]!);
    expect(data.params).toEqual(PARAMS_A);
    expect([...data.metrics.keys()].sort()).toEqual(['loss/train', 'odd', 'rmse']);
    for (const [key, metric] of Object.entries(METRICS_A)) expect(data.metrics.get(key)).toEqual(metric.values);
    expect(data.artifacts.map((f) => [f.relative, f.size])).toEqual([['model/MLmodel', 12], ['model/model.bin', MODEL_BYTES.length], ['report.txt', 9]]);
    expect(await readFile(data.artifacts[1]!.absolute)).toEqual(MODEL_BYTES);
  });

  it('reads models, versions (ascending, with tags) and aliases', async () => {
    const index = await new LocalStoreReader(golden.root).open();
    expect(index.models).toHaveLength(1);
    const model = index.models[0]!;
    expect(model).toMatchObject({ name: 'churn-model', description: 'Churn classifier', tags: { domain: 'retention' } });
    expect(model.versions.map((v) => [v.version, v.source, v.runId])).toEqual([
      [1, `file://${golden.oldRoot}/1/${RUN_A}/artifacts/model`, RUN_A],
      [2, `runs:/${RUN_B}/outputs`, RUN_B],
      [3, 's3://models-bucket/churn/3', undefined],
      [4, '/srv/somewhere/else/model', undefined],
    ]);
    expect(model.versions[0]!.tags).toEqual({ stage: 'validated' });
    expect(model.aliases).toEqual({ Champion: 1, Challenger: 3, Stale: 4 });
  });

  describe('bad input', () => {
    it('a missing store path is a UsageError naming the path', async () => {
      const missing = path.join(path.dirname(golden.root), 'no-such-store');
      const error = await new LocalStoreReader(missing).open().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).code).toBe(ErrorCodes.USAGE);
      expect((error as UsageError).message).toContain(missing);
      expect((error as UsageError).message).toContain('does not exist');
    });

    it('a directory that is not a store is a UsageError saying what a store looks like', async () => {
      const other = path.join(path.dirname(golden.root), 'src');
      await mkdir(path.join(other, 'lib'), { recursive: true });
      await writeFile(path.join(other, 'index.ts'), 'export {}');
      const error = await new LocalStoreReader(other).open().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(/does not look like a local MLflow store/);
    });

    it('an unparsable run meta.yaml is a StoreCorruptError naming the file', async () => {
      const file = path.join(golden.root, '1', RUN_B, 'meta.yaml');
      await writeFile(file, 'artifact_uri: [unclosed\nstatus: 3\n');
      const error = await new LocalStoreReader(golden.root).open().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreCorruptError);
      expect((error as StoreCorruptError).code).toBe(ErrorCodes.STORE_CORRUPT);
      expect((error as StoreCorruptError).message).toContain(file);
      expect((error as StoreCorruptError).details).toEqual({ file });
    });

    it('a meta.yaml with a bad field is a StoreCorruptError naming the file and the field', async () => {
      const file = path.join(golden.root, '1', RUN_A, 'meta.yaml');
      await writeFile(file, (await readFile(file, 'utf8')).replace('status: 3', 'status: 9'));
      const error = await new LocalStoreReader(golden.root).open().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreCorruptError);
      expect((error as Error).message).toContain(file);
      expect((error as Error).message).toContain('"status"');
    });

    it('an experiment meta.yaml recording another id than its directory is corrupt', async () => {
      const file = path.join(golden.root, '1', 'meta.yaml');
      await writeFile(file, (await readFile(file, 'utf8')).replace("experiment_id: '1'", "experiment_id: '7'"));
      await expect(new LocalStoreReader(golden.root).open()).rejects.toThrow(new RegExp(`${escape(file)}.*records experiment id 7`));
    });

    it('a malformed metric line is a StoreCorruptError naming the file and line', async () => {
      const file = path.join(golden.root, '1', RUN_A, 'metrics', 'rmse');
      await writeFile(file, '1700000001000 0.9 0\n1700000002000 zero 1\n');
      const reader = new LocalStoreReader(golden.root);
      const index = await reader.open();
      const error = await reader.readRun(index.runs[0]!).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreCorruptError);
      expect((error as Error).message).toContain(file);
      expect((error as Error).message).toContain('line 2');
    });

    it('an alias file that does not hold a version number is corrupt', async () => {
      const file = path.join(golden.root, 'models', 'churn-model', 'aliases', 'Champion');
      await writeFile(file, 'one');
      await expect(new LocalStoreReader(golden.root).open()).rejects.toThrow(StoreCorruptError);
      await expect(new LocalStoreReader(golden.root).open()).rejects.toThrow(file);
    });

    it('a param file whose name is not a valid MLflow key is corrupt (the server would refuse it mid-sync)', async () => {
      const file = path.join(golden.root, '1', RUN_A, 'params', 'bad*key');
      await writeFile(file, '1');
      const reader = new LocalStoreReader(golden.root);
      const error = await reader.readRun((await reader.open()).runs[0]!).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreCorruptError);
      expect((error as Error).message).toContain(file);
    });
  });

  it('an empty directory is an empty store, not an error (a spill dir nothing was spilled to)', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'sync-empty-'));
    try {
      const index = await new LocalStoreReader(empty).open();
      expect(index).toMatchObject({ experiments: [], runs: [], models: [] });
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
