/**
 * @jest-environment ./tests/support/onnx-jest-environment.js
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createContainer, createRuntime, ErrorCodes, TYPES, type IModelLoader, type ModelInput } from 'mlops-kit';
import { MemoryAlerter, MemoryLogger } from 'mlops-kit/testing';
import { parseModel, predict } from '../../../src/application/training/linear-model';
import { parseMlmodel } from '../../../src/infrastructure/tracking/models/mlmodel-read';
import { MlflowTestServer } from '../../support/mlflow-server/mlflow-test-server';

/**
 * The model loader on every backend, with models a real TrainingJob trained and registered: every URI
 * form loads the same model, scores it as its own model.json says, and checks input against the
 * signature; the size bound refuses a model before it is downloaded. The flavor that scores is the one
 * the loader picks: `onnx` when the model has it and onnxruntime-node is installed (to float32
 * precision), else `mlops_kit` (exactly).
 */
type Backend = { name: string; uri: () => string; loggedModels: boolean };

let server3: MlflowTestServer;
let server2: MlflowTestServer;
let dir: string;
beforeAll(async () => {
  [server3, server2] = await Promise.all([MlflowTestServer.start(), MlflowTestServer.start({ flavour: { version: 2 } })]);
  dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-loader-'));
});
afterAll(async () => {
  await Promise.all([server3.stop(), server2.stop()]);
  await rm(dir, { recursive: true, force: true });
});

const backends: Backend[] = [
  { name: 'memory', uri: () => 'memory:', loggedModels: true },
  { name: 'local store', uri: () => path.join(dir, 'mlruns'), loggedModels: true },
  { name: 'loopback MLflow 3.x', uri: () => server3.uri, loggedModels: true },
  { name: 'loopback MLflow 2.x', uri: () => server2.uri, loggedModels: false },
];

/** Whether onnxruntime-node (an optional peer) can be loaded here. */
const ONNX_RUNTIME = ((): boolean => {
  try {
    require.resolve('onnxruntime-node');
    return true;
  } catch {
    return false;
  }
})();

const ROWS = [
  { hour: 8, temperature: 14.5, humidity: 0.6, windspeed: 10, workingday: 1, holiday: 0, rush_hour: 1 },
  { hour: 13, temperature: 22, humidity: 0.4, windspeed: 5, workingday: 0, holiday: 0, rush_hour: 0 },
];

/** The GETs of a model.json the loopback server of `backend` answered. */
function modelJsonGets(backend: string) {
  const server = backend.includes('3.x') ? server3 : server2;
  return server.requests.filter((r) => r.method === 'GET' && /mlflow-artifacts\/artifacts\/.+\/model\.json$/.test(r.path));
}

function setUp(uri: string, slug: string, extra: { maxModelBytes?: number } = {}) {
  const container = createContainer({
    config: { tracking: { uri, experimentName: `loader-${slug}`, onUnavailable: 'fail', maxRetries: 0 } },
    overrides: { [TYPES.Logger]: new MemoryLogger(), [TYPES.Alerter]: new MemoryAlerter() },
    ...extra,
  });
  return { container, runtime: createRuntime(container) };
}

describe.each(backends)('ModelLoader on the $name backend', ({ name, uri, loggedModels }) => {
  const slug = name.replace(/\W+/g, '-');

  it('loads a trained model by version, alias and its own URI, and scores it as its model.json says', async () => {
    const { container, runtime } = setUp(uri(), slug);
    await runtime.start({ services: ['tracker', 'registry'] });
    try {
      const model = `loader-${slug}`;
      const trained = await runtime.run({ KIND: 'TrainingJob', model, epochs: 50, rows: 300 });
      await container.get(TYPES.ModelRegistry).setAlias(model, 'Champion', trained.version!);
      const loader: IModelLoader = container.get(TYPES.ModelLoader);

      // the reference: model.json read by hand and scored by the training code's own predict
      const files = await container.get(TYPES.Tracker).downloadModel(trained.modelUri, path.join(dir, `${slug}-reference`));
      const linear = parseModel(await readFile(path.join(files, 'model.json'), 'utf8'), 'model.json');
      const expected = predict(linear, ROWS.map((row) => linear.featureNames.map((f) => row[f as keyof typeof row])));
      const declared = Object.keys(parseMlmodel(await readFile(path.join(files, 'MLmodel'), 'utf8'), 'MLmodel').flavors);
      const flavor = declared.includes('onnx') && ONNX_RUNTIME ? 'onnx' : 'mlops_kit';
      const scoredAsExpected = (predictions: unknown) => {
        if (flavor === 'mlops_kit') return expect(predictions).toEqual(expected);
        (predictions as number[]).forEach((p, i) => expect(Math.abs(p - expected[i]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(expected[i]!))));
      };

      for (const modelUri of [`models:/${model}/${trained.version}`, `models:/${model}@Champion`, trained.modelUri]) {
        const loaded = await loader.load(modelUri);
        expect(loaded).toMatchObject({ uri: modelUri, flavor });
        if (flavor === 'mlops_kit') expect(loaded.outputNames).toEqual(['prediction']);
        expect(loaded.modelId).toBe(loggedModels ? trained.modelId : undefined);
        expect(loaded.inputs.map((c) => c.name)).toEqual(linear.featureNames);
        const output = loaded.outputNames[0]!;
        scoredAsExpected((await loaded.predict(ROWS))[output]);
        // columns score the same as rows
        const columns = Object.fromEntries(linear.featureNames.map((f) => [f, ROWS.map((row) => row[f as keyof typeof row])]));
        expect((await loaded.predict(columns))[output]).toEqual((await loaded.predict(ROWS))[output]);
        await loaded.release();
        await loaded.release(); // twice is harmless
      }
      if (name.startsWith('loopback')) expect(modelJsonGets(name).length).toBeGreaterThan(0);
    } finally {
      await runtime.close();
    }
  }, 60_000);

  it('refuses a model over maxModelBytes from the listing, before downloading it', async () => {
    const { container, runtime } = setUp(uri(), `${slug}-small`, { maxModelBytes: 1000 });
    await runtime.start({ services: ['tracker', 'registry'] });
    try {
      const trained = await runtime.run({ KIND: 'TrainingJob', model: `small-${slug}`, epochs: 5, rows: 60 });
      const fetched = name.startsWith('loopback') ? modelJsonGets(name).length : 0;
      const error = await container.get(TYPES.ModelLoader).load(`models:/small-${slug}/${trained.version}`).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: ErrorCodes.MODEL_TOO_LARGE });
      // named by the URI asked for, then the one downloaded
      expect((error as Error).message).toMatch(/^models:\/small-[\w-]+\/1: (models:\/m-\w+|runs:\/\w+\/model): its file MLmodel is [\d.]+ KiB, over the model size bound of 1000 bytes; raise maxModelBytes/);
      if (name.startsWith('loopback')) {
        // listed, never fetched: no GET of a file of the model
        expect(modelJsonGets(name)).toHaveLength(fetched);
      }
    } finally {
      await runtime.close();
    }
  }, 60_000);
});

describe('what a model is asked to score', () => {
  const { container, runtime } = setUp('memory:', 'input');
  let loaded: Awaited<ReturnType<IModelLoader['load']>>;
  beforeAll(async () => {
    await runtime.start({ services: ['tracker', 'registry'] });
    const trained = await runtime.run({ KIND: 'TrainingJob', model: 'input-checks', epochs: 5, rows: 60 });
    loaded = await container.get(TYPES.ModelLoader).load(`models:/input-checks/${trained.version}`);
  });
  afterAll(() => runtime.close());

  const good = ROWS[0]!;
  it.each([
    ['a missing column', [{ ...good, temperature: undefined }], 'temperature', /column "temperature" row 0: missing value/],
    ['a column left out of every row', [{ hour: 8 }], 'temperature', /column "temperature" is missing/],
    ['an extra column', [{ ...good, wind: 3 }], 'wind', /column "wind" is not an input of the model/],
    ['a string in a numeric column', [good, { ...good, humidity: '0.4' }], 'humidity', /column "humidity" row 1: expected a finite number \(double\), got "0.4"/],
    ['NaN', [{ ...good, windspeed: Number.NaN }], 'windspeed', /column "windspeed" row 0: expected a finite number \(double\), got NaN/],
    ['Infinity', [{ ...good, temperature: Number.POSITIVE_INFINITY }], 'temperature', /got Infinity/],
    ['a fraction in an integer column', [{ ...good, hour: 8.5 }], 'hour', /column "hour" row 0: expected a finite whole number \(long\), got 8.5/],
    ['columns of different lengths', { ...Object.fromEntries(Object.entries(good).map(([k, v]) => [k, [v, v]])), rush_hour: [1] }, 'rush_hour', /column "rush_hour" has 1 values but "hour" has 2/],
    ['a __proto__ key (prototype pollution)', [JSON.parse(`{"__proto__": [1], ${JSON.stringify(good).slice(1)}`)], '__proto__', /column "__proto__" is not an input/],
  ])('%s is MODEL_INPUT_INVALID naming the column', async (_what, input, column, message) => {
    const error = await loaded.predict(input as ModelInput).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCodes.MODEL_INPUT_INVALID, details: expect.objectContaining({ column }) });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
    expect(({} as Record<string, unknown>)[0]).toBeUndefined();
  });
});
