import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { checkModelInput, createContainer, ErrorCodes, TYPES, ValidationError, type ITracker, type ModelSignature, type OnnxGraph } from 'mlops-kit';
import { MemoryAlerter, MemoryLogger } from 'mlops-kit/testing';
import { ONNX_FLAVOR_LOADER } from '../../../src/infrastructure/models/onnx';
import { readMlmodel } from '../../../src/infrastructure/tracking/models';
import { MlflowTestServer } from '../../support/mlflow-server/mlflow-test-server';
import { linearOnnx } from '../../support/onnx-models';

/**
 * `tracker.logModel(runId, { onnx })` on every store: the files `mlflow.onnx.log_model` leaves (model.onnx,
 * MLmodel with the onnx and python_function flavors, the environment files, the input example) land
 * where MLflow puts them — a logged model's artifacts on MLflow 3, the local store and memory; the run's
 * `model/` artifacts on MLflow 2 — and the model.onnx downloaded back scores in onnxruntime.
 */
type Backend = { name: string; uri: () => string; loggedModels: boolean; filesOf?: (experimentId: string, where: string) => string };

let server3: MlflowTestServer;
let server2: MlflowTestServer;
let dir: string;
beforeAll(async () => {
  [server3, server2] = await Promise.all([MlflowTestServer.start(), MlflowTestServer.start({ flavour: { version: 2 } })]);
  dir = await mkdtemp(path.join(os.tmpdir(), 'onnx-log-model-'));
});
afterAll(async () => {
  await Promise.all([server3.stop(), server2.stop()]);
  await rm(dir, { recursive: true, force: true });
});

const FILES = ['MLmodel', 'conda.yaml', 'input_example.json', 'model.onnx', 'python_env.yaml', 'requirements.txt', 'serving_input_example.json'];
const signature: ModelSignature = { inputs: [{ name: 'hour', type: 'long' }, { name: 'temperature', type: 'double' }], outputs: [{ type: 'double' }] };
const graph: OnnxGraph = {
  name: 'demand',
  opsetVersion: 13,
  inputs: [{ name: 'input', type: 'float32', shape: ['N', 2] }],
  outputs: [{ name: 'variable', type: 'float32', shape: ['N'] }],
  initializers: [{ name: 'w', type: 'float32', dims: [2], values: [10, 2] }, { name: 'b', type: 'float32', dims: [], values: [1] }],
  nodes: [{ opType: 'MatMul', inputs: ['input', 'w'], outputs: ['p'] }, { opType: 'Add', inputs: ['p', 'b'], outputs: ['variable'] }],
};

const backends: Backend[] = [
  { name: 'memory', uri: () => 'memory:', loggedModels: true },
  { name: 'local store', uri: () => path.join(dir, 'mlruns'), loggedModels: true, filesOf: (exp, id) => path.join(dir, 'mlruns', exp, 'models', id, 'artifacts') },
  { name: 'loopback MLflow 3.x', uri: () => server3.uri, loggedModels: true, filesOf: (exp, id) => path.join(server3.artifacts.rootDir, exp, 'models', id, 'artifacts') },
  { name: 'loopback MLflow 2.x', uri: () => server2.uri, loggedModels: false },
];

async function withTracker<T>(uri: string, experiment: string, use: (tracker: ITracker) => Promise<T>): Promise<T> {
  const container = createContainer({
    config: { tracking: { uri, experimentName: experiment, onUnavailable: 'fail' } },
    overrides: { [TYPES.Logger]: new MemoryLogger(), [TYPES.Alerter]: new MemoryAlerter() },
  });
  const tracker: ITracker = container.get(TYPES.Tracker);
  await tracker.start();
  try {
    return await use(tracker);
  } finally {
    await tracker.stop();
  }
}

describe.each(backends)('logModel with onnx on the $name backend', ({ name, uri, loggedModels, filesOf }) => {
  const slug = name.replace(/\W+/g, '-');

  it('writes the files mlflow.onnx.log_model leaves where MLflow puts them, and the downloaded model.onnx scores', async () => {
    await withTracker(uri(), `onnx-${slug}`, async (tracker) => {
      const run = await tracker.createRun({ runName: 'onnx' });
      const rows = [{ hour: 8, temperature: 21.5 }, { hour: 17, temperature: 14 }];
      const logged = await tracker.logModel(run.runId, { name: 'model', onnx: graph, signature, inputExample: rows, modelType: 'regressor' });
      if (loggedModels) {
        expect(logged).toMatchObject({ status: 'READY', modelUri: `models:/${logged.modelId}` });
        expect((await tracker.getRun(run.runId)).outputs?.modelOutputs).toEqual([{ modelId: logged.modelId, step: 0 }]);
      } else {
        expect(logged.modelUri).toBe(`runs:/${run.runId}/model`);
        expect((await tracker.listArtifacts(run.runId, 'model')).map((a) => a.path).sort()).toEqual(FILES.map((f) => `model/${f}`));
        const history = JSON.parse((await tracker.getRun(run.runId)).data.tags['mlflow.log-model.history']!) as { flavors: Record<string, unknown> }[];
        expect(Object.keys(history[0]!.flavors).sort()).toEqual(['onnx', 'python_function']);
      }
      if (filesOf) expect((await readdir(filesOf(run.experimentId, logged.modelId!))).sort()).toEqual(FILES);

      const files = await tracker.downloadModel(logged.modelUri, path.join(dir, `${slug}-download`));
      expect((await readdir(files)).sort()).toEqual(FILES);
      const mlmodel = await readMlmodel(files);
      expect(Object.keys(mlmodel.flavors).sort()).toEqual(['onnx', 'python_function']);
      expect(mlmodel.flavors.python_function).toMatchObject({ loader_module: 'mlflow.onnx', data: 'model.onnx' });
      expect(mlmodel.artifactPath).toBe(loggedModels ? logged.artifactUri : 'model');
      expect(mlmodel.modelId).toBe(logged.modelId);
      // measured before the environment files are written, as MLflow does
      const sizes = await Promise.all(['model.onnx', 'input_example.json', 'serving_input_example.json'].map(async (f) => (await stat(path.join(files, f))).size));
      expect(mlmodel.sizeBytes).toBe(sizes.reduce((a, b) => a + b, 0));
      expect(await readFile(path.join(files, 'requirements.txt'), 'utf8')).toMatch(/^mlflow>=.*\nonnxruntime>=[\d.]+$/s);

      const scorer = await ONNX_FLAVOR_LOADER.load({ uri: logged.modelUri, dir: files, flavor: mlmodel.flavors.onnx!, flavors: Object.keys(mlmodel.flavors), signature: mlmodel.signature! });
      try {
        expect(await scorer.score(checkModelInput(rows, mlmodel.signature!.inputs))).toEqual({ variable: [124, 199] });
      } finally {
        await scorer.release?.();
      }
    });
  });

  it('logs ONNX bytes beside a directory of other files, both under the model', async () => {
    await withTracker(uri(), `onnx-bytes-${slug}`, async (tracker) => {
      const run = await tracker.createRun({ runName: 'onnx-bytes' });
      const source = path.join(dir, `${slug}-source`);
      await mkdir(source, { recursive: true });
      await writeFile(path.join(source, 'notes.txt'), 'trained in Node');
      const logged = await tracker.logModel(run.runId, { name: 'model', path: source, onnx: linearOnnx({ weights: [3] }), loader: 'custom', flavors: { extra: { kind: 'demo' } } });
      const files = await tracker.downloadModel(logged.modelUri, path.join(dir, `${slug}-bytes-download`));
      expect((await readdir(files)).sort()).toEqual(['MLmodel', 'conda.yaml', 'model.onnx', 'notes.txt', 'python_env.yaml', 'requirements.txt']);
      expect(Object.keys((await readMlmodel(files)).flavors).sort()).toEqual(['extra', 'mlops_kit', 'onnx', 'python_function']);
      expect(await readFile(path.join(files, 'model.onnx'))).toEqual(Buffer.from(linearOnnx({ weights: [3] })));
    });
  });
});

describe('logModel with onnx: requests it refuses before anything is created', () => {
  it.each<[string, (source: string) => Record<string, unknown>, string]>([
    ['neither path nor onnx', () => ({}), 'logModel: give path (the directory of the model\'s files) or onnx'],
    ['a graph with a mistake', () => ({ onnx: { ...graph, nodes: [{ opType: 'MatMul', inputs: ['input', 'weights'], outputs: ['variable'] }] } }), 'node 0 (MatMul) reads "weights"'],
    ['bytes that are not ONNX', () => ({ onnx: Buffer.from('{"weights": [1]}') }), 'onnx: the 16 bytes given are not an ONNX model'],
    ['flavors that redefine the ONNX ones', () => ({ onnx: graph, flavors: { python_function: { loader_module: 'mine' } } }), 'flavors.python_function is written from onnx; leave it out of flavors'],
    ['a model.onnx already in path', (source) => ({ path: source, onnx: graph }), 'model.onnx exists and onnx is given too'],
  ])('%s', async (_case, request, message) => {
    const source = await mkdtemp(path.join(dir, 'clash-'));
    await writeFile(path.join(source, 'model.onnx'), linearOnnx({ weights: [1] }));
    const mlruns = path.join(dir, 'refused-mlruns');
    await withTracker(mlruns, 'refused', async (tracker) => {
      const run = await tracker.createRun({ runName: 'refused' });
      const error = await tracker.logModel(run.runId, { name: 'model', ...request(source) } as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ code: ErrorCodes.VALIDATION, message: expect.stringContaining(message) });
      // no logged model, not even a PENDING or FAILED one, in the local store
      expect(await readdir(path.join(mlruns, run.experimentId, 'models')).catch(() => [])).toEqual([]);
    });
  });
});
