/**
 * sync reads logged models, datasets, inputs and outputs from a local store straight from the files
 * (the golden tree MLflow 3 would write, ids filled in), independently of LocalLoggedModelStore, so they
 * can be replayed to a server; what it leaves out it says, what is malformed names its file.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StoreCorruptError } from '../../../src/domain/errors';
import { LocalStoreReader } from '../../../src/infrastructure/sync/local-store-reader';
import { readStoreLineage } from '../../../src/infrastructure/sync/store-lineage-reader';
import { writeExperiment, writeRun } from './logged-models-fixture';
import { T0, listFiles, tempStore } from './store-fixture';

const GOLDEN = path.join(__dirname, '..', '..', 'fixtures', 'golden', 'logged-models');
const EXP = '333333333333333333';
const IDS: Record<string, string> = { EXP_ID: EXP, RUN_A: 'a'.repeat(32), RUN_B: 'b'.repeat(32), MODEL_1: 'm-' + 'c'.repeat(32), MODEL_2: 'm-' + 'd'.repeat(32), MODEL_3: 'm-' + 'e'.repeat(32) };

describe('sync: reading logged models, datasets, inputs and outputs from a local store', () => {
  let store: Awaited<ReturnType<typeof tempStore>>;
  const fill = (text: string) => Object.entries(IDS).reduce((acc, [placeholder, id]) => acc.split(placeholder).join(id), text.split('<ROOT>').join(store.root));
  const read = async () => readStoreLineage(await new LocalStoreReader(store.root).open());

  beforeEach(async () => {
    store = await tempStore('mlops-lm-sync-');
    await writeExperiment(store.root, '0', 'Default');
    await writeExperiment(store.root, EXP, 'lineage');
    await writeRun(store.root, EXP, IDS.RUN_A!);
    await writeRun(store.root, EXP, IDS.RUN_B!);
    for (const file of await listFiles(GOLDEN)) {
      const target = path.join(store.root, fill(file));
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, fill(await fs.readFile(path.join(GOLDEN, file), 'utf8')));
    }
  });
  afterEach(async () => {
    await store.remove();
  });

  it('reads every logged model with its params, tags and status, oldest first, and finds its files in the store', async () => {
    await fs.mkdir(path.join(store.root, EXP, 'models', IDS.MODEL_1!, 'artifacts'), { recursive: true });
    await fs.writeFile(path.join(store.root, EXP, 'models', IDS.MODEL_1!, 'artifacts', 'MLmodel'), 'flavors: {}\n');
    const { models, warnings } = await read();
    expect(models.map((m) => [m.modelId, m.name, m.status])).toEqual([[IDS.MODEL_1, 'model', 'READY'], [IDS.MODEL_2, 'candidate', 'PENDING'], [IDS.MODEL_3, 'broken', 'FAILED']]);
    expect(models[0]).toMatchObject({
      experimentId: EXP, sourceRunId: IDS.RUN_A, modelType: 'regressor', creationTimestamp: T0, lastUpdatedTimestamp: T0 + 1000,
      params: { alpha: '0.1', 'model/depth': '4' }, tags: { 'mlflow.source.name': 'jobs/train.yaml', team: 'ml' },
      artifactsDir: path.join(store.root, EXP, 'models', IDS.MODEL_1!, 'artifacts'), modelUri: `models:/${IDS.MODEL_1}`,
    });
    expect(models[1]!.artifactsDir).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('reads each run\'s dataset inputs (with schema and profile) and model outputs', async () => {
    const { inputs, outputs } = await read();
    expect(inputs.get(IDS.RUN_A!)!.map((i) => [i.dataset.name, i.tags])).toEqual([['bikes', { 'mlflow.data.context': 'training' }], ['holdout', { 'mlflow.data.context': 'evaluation' }]]);
    expect(inputs.get(IDS.RUN_B!)![0]!.dataset).toEqual({
      name: 'bikes', digest: 'a1b2c3d4', sourceType: 'local', source: '{"uri": "file:///data/bikes.csv"}',
      schema: '{"mlflow_colspec": [{"type": "double", "name": "temp", "required": true}, {"type": "long", "name": "count", "required": true}]}',
      profile: '{"num_rows": 3, "num_elements": 6}',
    });
    expect(outputs.get(IDS.RUN_A!)).toEqual([{ modelId: IDS.MODEL_1, step: 0 }]);
    expect(outputs.get(IDS.RUN_B!)).toEqual([{ modelId: IDS.MODEL_3, step: 5 }]);
  });

  it('leaves out, and says so: a deleted model, a model directory without meta.yaml, an input whose dataset is gone', async () => {
    const model2 = path.join(store.root, EXP, 'models', IDS.MODEL_2!, 'meta.yaml');
    await fs.writeFile(model2, (await fs.readFile(model2, 'utf8')).replace('lifecycle_stage: active', 'lifecycle_stage: deleted'));
    await fs.mkdir(path.join(store.root, EXP, 'models', 'm-half'), { recursive: true });
    const holdoutDir = (await fs.readdir(path.join(store.root, EXP, 'datasets'))).find((d) => d.startsWith('5130'))!;
    await fs.rm(path.join(store.root, EXP, 'datasets', holdoutDir), { recursive: true });
    const { models, inputs, warnings } = await read();
    expect(models.map((m) => m.name)).toEqual(['model', 'broken']);
    expect(inputs.get(IDS.RUN_A!)!.map((i) => i.dataset.name)).toEqual(['bikes']);
    expect(warnings).toEqual([
      expect.stringContaining(`logged model ${IDS.MODEL_2} "candidate" is deleted`),
      expect.stringContaining(`models${path.sep}m-half: no meta.yaml`),
      expect.stringContaining(`names dataset ${holdoutDir}`),
    ]);
  });

  it('names the file when an input\'s meta.yaml or a model param name is malformed (STORE_CORRUPT)', async () => {
    const inputDir = path.join(store.root, EXP, IDS.RUN_B!, 'inputs');
    const input = path.join(inputDir, (await fs.readdir(inputDir))[0]!, 'meta.yaml');
    await fs.writeFile(input, 'source_type: DATASET\nsource_id: [not, a, string]\ntags: {}\n');
    const error = await read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect((error as Error).message).toContain(input);

    await fs.writeFile(input, 'source_type: DATASET\nsource_id: x\ntags: {}\n');
    await fs.writeFile(path.join(store.root, EXP, 'models', IDS.MODEL_1!, 'params', 'bad*name'), '1');
    const paramError = await read().catch((e: unknown) => e);
    expect(paramError).toBeInstanceOf(StoreCorruptError);
    expect((paramError as Error).message).toContain('bad*name');
  });
});
