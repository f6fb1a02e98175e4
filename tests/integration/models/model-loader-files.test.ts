import { mkdir, mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createContainer, ErrorCodes, MlopsError, TYPES, type IModelRegistry, type ITracker, type ModelFlavorLoader } from 'mlops-kit';
import { MemoryLogger } from 'mlops-kit/testing';
import { ModelLoader } from '../../../src/infrastructure/models';
import { answerFlavor, answerModel, registerDir, writeModelDir, X_SIGNATURE } from '../../support/model-fixtures';

/**
 * The loader against model files as other tools (or accidents) leave them, on the local store: flavors
 * no loader scores, an app's loader before the built-in ones, a runtime that is not installed, corrupt
 * and hostile files, and a 1 GB file refused by its size alone.
 */
let dir: string;
let tmpDir: string;
let tracker: ITracker;
let registry: IModelRegistry;
let counter = 0;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-loader-files-'));
  const container = createContainer({ config: { tracking: { uri: path.join(dir, 'mlruns') } }, overrides: { [TYPES.Logger]: new MemoryLogger() } });
  tracker = container.get(TYPES.Tracker);
  registry = container.get(TYPES.ModelRegistry);
  await Promise.all([tracker.start(), registry.start()]);
});
beforeEach(async () => {
  tmpDir = await mkdtemp(path.join(dir, 'tmp-'));
});
afterAll(async () => {
  await Promise.all([tracker.stop(), registry.stop()]);
  await rm(dir, { recursive: true, force: true });
});

/** A model directory registered as version 1 of a fresh model: its `models:/…/1` URI. */
async function registered(write: (modelDir: string) => Promise<unknown>): Promise<string> {
  const name = `files-${++counter}`;
  const modelDir = path.join(dir, 'models', name);
  await write(modelDir);
  return `models:/${name}/${await registerDir(registry, name, modelDir)}`;
}

function loaderWith(flavors: readonly ModelFlavorLoader[] = [], logger = new MemoryLogger(), maxModelBytes?: number) {
  return new ModelLoader({ tracker, registry, flavors, logger, tmpDir, ...(maxModelBytes !== undefined && { maxModelBytes }) });
}

async function failure(promise: Promise<unknown>): Promise<MlopsError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(MlopsError);
  expect((error as Error).message).not.toContain('\n');
  return error as MlopsError;
}

it('a model with no flavor mlops-kit scores is MODEL_FLAVOR_UNSUPPORTED naming both sides, one line', async () => {
  const uri = await registered((d) => writeModelDir(d, { flavors: { python_function: { loader_module: 'mlflow.sklearn' }, sklearn: { pickled_model: 'model.pkl' } }, files: { 'model.pkl': 'x' } }));
  const error = await failure(loaderWith([answerFlavor().loader]).load(uri));
  expect(error.code).toBe(ErrorCodes.MODEL_FLAVOR_UNSUPPORTED);
  expect(error.message).toBe(
    `${uri}: mlops-kit has no loader for its flavors (python_function, sklearn); it scores answer, onnx, mlops_kit: export it to ONNX (mlflow.onnx.log_model) to score it in Node.`,
  );
  expect(await readdir(tmpDir)).toEqual([]);
});

it("an app's flavor is tried before the built-in ones, and the container passes createContainer({ flavors }) on", async () => {
  const answer = answerFlavor();
  const uri = await registered((d) =>
    writeModelDir(d, { flavors: { mlops_kit: { loader: 'linear-regression', data: 'model.json' }, answer: { data: 'answer.json' } }, signature: X_SIGNATURE, files: { 'answer.json': '{"answer": 7}' } }),
  );
  const container = createContainer({ config: { tracking: { uri: path.join(dir, 'mlruns') } }, flavors: [answer.loader], overrides: { [TYPES.Logger]: new MemoryLogger() } });
  const model = await container.get(TYPES.ModelLoader).load(uri);
  expect(model.flavor).toBe('answer');
  expect(await model.predict({ x: [1, 2] })).toEqual({ answer: [7, 7] });
  await model.release();
  expect(answer.releases).toEqual([7]);
});

it('a loader whose runtime is missing (ADAPTER_NOT_AVAILABLE) gives way to the next flavor the model has, said once at info', async () => {
  const missing: ModelFlavorLoader = {
    flavor: 'native',
    load: async () => {
      throw new MlopsError(ErrorCodes.ADAPTER_NOT_AVAILABLE, 'native-runtime is not installed; npm install native-runtime to use it.');
    },
  };
  const uri = await registered((d) => writeModelDir(d, { flavors: { native: {}, answer: { data: 'answer.json' } }, signature: X_SIGNATURE, files: { 'answer.json': '{"answer": 3}' } }));
  const logger = new MemoryLogger();
  const loader = loaderWith([missing, answerFlavor().loader], logger);
  for (let i = 0; i < 3; i++) expect((await loader.load(uri)).flavor).toBe('answer');
  expect(logger.messages('info')).toEqual(['Scoring native models with their answer flavor instead: native-runtime is not installed; npm install native-runtime to use it.']);

  // with nothing to fall back to, the loader's own error stands
  const only = await registered((d) => writeModelDir(d, { flavors: { native: {} }, signature: X_SIGNATURE }));
  expect((await failure(loader.load(only))).code).toBe(ErrorCodes.ADAPTER_NOT_AVAILABLE);
});

it("an app loader's plain Error is MODEL_LOAD_FAILED naming the model and the flavor", async () => {
  const broken: ModelFlavorLoader = {
    flavor: 'answer',
    load: async () => {
      throw new TypeError('cannot read properties of undefined');
    },
  };
  const uri = await registered((d) => answerModel(d, 1));
  const error = await failure(loaderWith([broken]).load(uri));
  expect(error).toMatchObject({ code: ErrorCodes.MODEL_LOAD_FAILED, message: `${uri}: the answer loader failed: cannot read properties of undefined` });
  expect(await readdir(tmpDir)).toEqual([]);
});

describe('mlops_kit models whose files are wrong', () => {
  const linear = { loader: 'linear-regression', data: 'model.json' };
  it.each<[string, { model?: string }, Record<string, unknown>, RegExp]>([
    ['a corrupt model.json', { model: '{"format": "mlops-kit/linear-regression", "weights": [1,' }, linear, /model\.json: not valid JSON/],
    ['a model.json of another format', { model: '{"format": "something-else"}' }, linear, /not a mlops-kit\/linear-regression model/],
    ['no model.json', {}, linear, /its model\.json cannot be read \(ENOENT\)/],
    ['a data path outside the model', { model: '{}' }, { ...linear, data: '../../../../etc/passwd' }, /flavors\.mlops_kit\.data "..\/..\/..\/..\/etc\/passwd" points outside the model's files/],
  ])('%s is MODEL_LOAD_FAILED', async (_what, files, flavor, message) => {
    const uri = await registered((d) => writeModelDir(d, { flavors: { mlops_kit: flavor }, ...(files.model !== undefined && { files: { 'model.json': files.model } }) }));
    const error = await failure(loaderWith().load(uri));
    expect(error.code).toBe(ErrorCodes.MODEL_LOAD_FAILED);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(`${uri}: `)).toBe(true);
    expect(await readdir(tmpDir)).toEqual([]);
  });

  it('a signature that contradicts the model file is MODEL_LOAD_FAILED at load, not a wrong answer later', async () => {
    const model = { format: 'mlops-kit/linear-regression', formatVersion: 1, featureNames: ['a', 'b'], target: 'y', weights: [1, 2], bias: 0, featureMeans: [0, 0], featureStds: [1, 1], hyperparams: {} };
    const uri = await registered((d) => writeModelDir(d, { flavors: { mlops_kit: linear }, signature: X_SIGNATURE, files: { 'model.json': JSON.stringify(model) } }));
    const error = await failure(loaderWith().load(uri));
    expect(error).toMatchObject({ code: ErrorCodes.MODEL_LOAD_FAILED, message: `${uri}: its signature takes x but its mlops_kit file takes a, b; re-log the model with a matching signature.` });
  });

  it('an MLmodel that is not YAML is STORE_CORRUPT naming the file', async () => {
    const uri = await registered(async (d) => {
      await mkdir(d, { recursive: true });
      await writeFile(path.join(d, 'MLmodel'), 'flavors: [unclosed', 'utf8');
    });
    expect((await failure(loaderWith().load(uri))).code).toBe(ErrorCodes.STORE_CORRUPT);
  });
});

describe('the size bound', () => {
  it('refuses a 1 GB (sparse) file by its size, without reading or copying it', async () => {
    const uri = await registered(async (d) => {
      await answerModel(d, 1);
      const file = await open(path.join(d, 'weights.bin'), 'w');
      await file.truncate(1024 ** 3); // a hole: no disk used, 1 GiB to any reader
      await file.close();
    });
    const rss = process.memoryUsage().rss;
    const error = await failure(loaderWith([answerFlavor().loader]).load(uri));
    expect(error).toMatchObject({
      code: ErrorCodes.MODEL_TOO_LARGE,
      details: expect.objectContaining({ bytes: 1024 ** 3, maxBytes: 512 * 1024 ** 2 }),
    });
    expect(error.message).toMatch(/: its file weights\.bin is 1 GiB, over the model size bound of 512 MiB; raise maxModelBytes if the model really is that large\.$/);
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1024 ** 2);
    expect(await readdir(tmpDir)).toEqual([]); // nothing was downloaded
  });

  it('counts all the files together: each under the bound, their sum over it', async () => {
    const uri = await registered(async (d) => {
      await answerModel(d, 1);
      await writeFile(path.join(d, 'a.bin'), Buffer.alloc(3000));
      await writeFile(path.join(d, 'b.bin'), Buffer.alloc(3000));
    });
    const error = await failure(loaderWith([answerFlavor().loader], new MemoryLogger(), 5000).load(uri));
    expect(error.code).toBe(ErrorCodes.MODEL_TOO_LARGE);
    expect(error.message).toMatch(/its 4 files add up to [\d.]+ KiB, over the model size bound of 4.9 KiB/);
  });
});
