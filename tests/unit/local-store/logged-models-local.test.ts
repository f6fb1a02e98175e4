/**
 * What only the local store's logged models have to get right: reading files MLflow 3 wrote (the golden
 * tree), models of an experiment moved to `.trash`, deleted and corrupt entries, deleted runs, and two OS
 * processes logging the same dataset and creating models on one store at once.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConflictError, ErrorCodes, NotFoundError, StoreCorruptError } from '../../../src/domain/errors';
import { StoreLayout } from '../../../src/infrastructure/tracking/local/local-layout';
import { LocalLoggedModelStore } from '../../../src/infrastructure/tracking/local/local-logged-model-store';
import { writeExperiment, writeRun } from './logged-models-fixture';
import { T0, listFiles, tempStore } from './store-fixture';
import { TS_REQUIRE_HOOK } from '../../support/ts-require-hook';

const GOLDEN = path.join(__dirname, '..', '..', 'fixtures', 'golden', 'logged-models');
const EXP = '222222222222222222';
const RUN = 'a'.repeat(32);

describe('LocalLoggedModelStore on disk', () => {
  let store: Awaited<ReturnType<typeof tempStore>>;
  let models: LocalLoggedModelStore;
  beforeEach(async () => {
    store = await tempStore('mlops-lm-local-');
    await writeExperiment(store.root, EXP, 'local');
    await writeRun(store.root, EXP, RUN);
    models = new LocalLoggedModelStore(new StoreLayout(store.root));
  });
  afterEach(async () => {
    await store.remove();
  });

  it('reads the files MLflow 3 writes (the golden tree, ids and root filled in)', async () => {
    const ids: Record<string, string> = { EXP_ID: EXP, RUN_A: RUN, RUN_B: 'b'.repeat(32), MODEL_1: 'm-' + 'c'.repeat(32), MODEL_2: 'm-' + 'd'.repeat(32), MODEL_3: 'm-' + 'e'.repeat(32) };
    const fill = (text: string) => Object.entries(ids).reduce((acc, [placeholder, id]) => acc.split(placeholder).join(id), text.split('<ROOT>').join(store.root));
    await writeRun(store.root, EXP, ids.RUN_B!);
    for (const file of await listFiles(GOLDEN)) {
      const target = path.join(store.root, fill(file));
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, fill(await fs.readFile(path.join(GOLDEN, file), 'utf8')));
    }
    expect(await models.get(ids.MODEL_2!)).toEqual({
      modelId: ids.MODEL_2, name: 'candidate', experimentId: EXP, status: 'PENDING', modelUri: `models:/${ids.MODEL_2}`,
      artifactUri: `file://${store.root}/${EXP}/models/${ids.MODEL_2}/artifacts`, creationTimestamp: T0 + 2000, lastUpdatedTimestamp: T0 + 2000, params: {}, tags: {},
    });
    expect((await models.get(ids.MODEL_1!)).params).toEqual({ alpha: '0.1', 'model/depth': '4' });
    const { datasetInputs } = await models.runInputs(ids.RUN_B!);
    expect(datasetInputs).toEqual([{
      dataset: expect.objectContaining({ name: 'bikes', schema: '{"mlflow_colspec": [{"type": "double", "name": "temp", "required": true}, {"type": "long", "name": "count", "required": true}]}' }),
      tags: { 'mlflow.data.context': 'training', split: 'all rows' },
    }]);
    expect((await models.runInputs(RUN)).datasetInputs.map((i) => i.dataset)).toContainEqual({ name: 'holdout', digest: 'ffff0000', sourceType: 'http', source: '{"url": "https://example.com/holdout.csv"}' });
    expect(await models.runOutputs(ids.RUN_B!)).toEqual({ modelOutputs: [{ modelId: ids.MODEL_3, step: 5 }] });
  });

  it('puts a model\'s files under its experiment\'s artifact location, also a remote one (s3://…/models/<id>/artifacts)', async () => {
    const remote = '444444444444444444';
    await writeExperiment(store.root, remote, 'remote');
    const meta = path.join(store.root, remote, 'meta.yaml');
    await fs.writeFile(meta, (await fs.readFile(meta, 'utf8')).replace(/artifact_location: .*/, 'artifact_location: s3://bucket/exp/'));
    const created = await models.create({ experimentId: remote, name: 'model', params: {}, tags: {} });
    expect(created.artifactUri).toBe(`s3://bucket/exp/models/${created.modelId}/artifacts`);
  });

  it('finds a model whose experiment was deleted (moved to .trash), as MLflow does', async () => {
    const created = await models.create({ experimentId: EXP, name: 'model', params: {}, tags: {} });
    await fs.mkdir(path.join(store.root, '.trash'), { recursive: true });
    await fs.rename(path.join(store.root, EXP), path.join(store.root, '.trash', EXP));
    expect((await models.get(created.modelId!)).name).toBe('model');
  });

  it('treats a model marked deleted as missing (MODEL_NOT_FOUND) and leaves it out of the list', async () => {
    const created = await models.create({ experimentId: EXP, name: 'gone', params: {}, tags: {} });
    const file = path.join(store.root, EXP, 'models', created.modelId!, 'meta.yaml');
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('lifecycle_stage: active', 'lifecycle_stage: deleted'));
    const error = await models.get(created.modelId!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).code).toBe(ErrorCodes.MODEL_NOT_FOUND);
    expect(await models.listModels(EXP)).toEqual([]);
  });

  it('names the file when a model\'s meta.yaml is corrupt (STORE_CORRUPT)', async () => {
    const created = await models.create({ experimentId: EXP, name: 'bad', params: {}, tags: {} });
    const file = path.join(store.root, EXP, 'models', created.modelId!, 'meta.yaml');
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('status: 1', 'status: 7'));
    const error = await models.get(created.modelId!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain('"status"');
  });

  it('refuses inputs and outputs for a deleted run (CONFLICT), like MLflow\'s check_run_is_active', async () => {
    const deleted = 'd'.repeat(32);
    await writeRun(store.root, EXP, deleted, 'deleted');
    const error = await models.logInputs(deleted, [{ dataset: { name: 'x', digest: 'y', sourceType: 'local', source: '{}' }, tags: {} }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toContain(`Run ${deleted} is deleted`);
    await expect(fs.readdir(path.join(store.root, EXP, deleted))).resolves.not.toContain('inputs');
  });

  it('skips an input whose dataset directory is missing, as MLflow does', async () => {
    await models.logInputs(RUN, [{ dataset: { name: 'x', digest: 'y', sourceType: 'local', source: '{}' }, tags: {} }]);
    await fs.rm(path.join(store.root, EXP, 'datasets'), { recursive: true });
    expect(await models.runInputs(RUN)).toEqual({ datasetInputs: [] });
  });

  it('two processes logging one dataset and creating models at once: one dataset, one input per run, every model intact', async () => {
    const runs = ['1', '2', '3'].map((c) => c.repeat(32));
    for (const run of runs) await writeRun(store.root, EXP, run);
    const workerFile = path.join(store.root, '..', `${path.basename(store.root)}-lm-worker.js`);
    const go = path.join(store.root, '..', `${path.basename(store.root)}-lm-go`);
    await fs.writeFile(workerFile, WORKER);
    try {
      const children = [1, 2].map((role) => runWorker(workerFile, { STORE: store.root, EXP, RUNS: runs.join(','), GO: go, ROLE: String(role) }));
      await Promise.all(children.map((c) => c.ready));
      await fs.writeFile(go, 'go');
      const created = (await Promise.all(children.map((c) => c.done))).flat();
      expect(new Set(created).size).toBe(2 * MODELS_PER_WORKER);
      expect((await models.listModels(EXP)).map((m) => m.modelId).sort()).toEqual([...created].sort());
      expect(await fs.readdir(path.join(store.root, EXP, 'datasets'))).toHaveLength(1);
      for (const run of runs) {
        expect(await fs.readdir(path.join(store.root, EXP, run, 'inputs'))).toHaveLength(1);
        expect((await models.runInputs(run)).datasetInputs[0]!.dataset.name).toBe('shared');
      }
      const leftovers = (await listFiles(store.root)).filter((file) => /\.(creating|tmp)(\/|$)/.test(file));
      expect(leftovers).toEqual([]);
    } finally {
      await fs.rm(workerFile, { force: true });
      await fs.rm(go, { force: true });
    }
  });
});

const MODELS_PER_WORKER = 10;

const WORKER = `${TS_REQUIRE_HOOK}
const { StoreLayout } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/infrastructure/tracking/local/local-layout.ts'))});
const { LocalLoggedModelStore } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/infrastructure/tracking/local/local-logged-model-store.ts'))});
const { STORE, EXP, RUNS, GO, ROLE } = process.env;
(async () => {
  const models = new LocalLoggedModelStore(new StoreLayout(STORE));
  process.stdout.write('ready\\n');
  while (!fs.existsSync(GO)) await new Promise((r) => setTimeout(r, 2));
  const dataset = { name: 'shared', digest: 'abc', sourceType: 'local', source: '{}', profile: '{"by": ' + ROLE + '}' };
  const inputs = RUNS.split(',').flatMap((run) => [0, 1, 2].map(() => models.logInputs(run, [{ dataset, tags: { role: ROLE } }])));
  const created = Array.from({ length: ${MODELS_PER_WORKER} }, (_, i) => models.create({ experimentId: EXP, name: 'm' + ROLE + '-' + i, params: { i: String(i) }, tags: {} }));
  const [done] = await Promise.all([Promise.all(created), Promise.all(inputs)]);
  process.stdout.write(JSON.stringify(done.map((m) => m.modelId)) + '\\n');
})().catch((e) => { console.error(e); process.exit(1); });
`;

function runWorker(file: string, env: Record<string, string>): { ready: Promise<void>; done: Promise<string[]> } {
  const child = spawn(process.execPath, [file], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<string[]>((resolve, reject) => {
    child.on('close', (code) => {
      markReady();
      if (code !== 0) return reject(new Error(`worker ${env.ROLE} exited with ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as string[]);
    });
  });
  return { ready, done };
}
