import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { onnx } from 'onnx-proto';
import { checkModelInput, createContainer, createRuntime, TYPES, type ITracker } from 'mlops-kit';
import { MemoryAlerter, MemoryLogger } from 'mlops-kit/testing';
import { parseModel, predict } from '../../../src/application/training/linear-model';
import { ONNX_FLAVOR_LOADER } from '../../../src/infrastructure/models/onnx';
import { readMlmodel } from '../../../src/infrastructure/tracking/models';

/**
 * TrainingJob end to end: the model it logs carries the same linear model twice, as model.onnx (what
 * MLflow's Python tools and onnxruntime-node score) and as model.json (mlops-kit's own flavor). Loaded
 * back from the tracker, the ONNX graph predicts what model.json predicts, within float32 precision, on
 * the synthetic data (mixed long and double columns: a float32 input) and on a CSV of whole numbers only
 * (long columns: an int64 input, as MLflow's pyfunc feeds such a table).
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'onnx-training-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function trainAndCompare(uri: string, job: { rows?: number; seed?: number; dataPath?: string; learningRate?: number; l2?: number }, slug: string): Promise<{ inputType: unknown }> {
  const container = createContainer({
    config: { tracking: { uri, experimentName: `onnx-training-${slug}`, onUnavailable: 'fail' } },
    overrides: { [TYPES.Logger]: new MemoryLogger(), [TYPES.Alerter]: new MemoryAlerter() },
  });
  const runtime = createRuntime(container);
  const tracker: ITracker = container.get(TYPES.Tracker);
  await runtime.start();
  try {
    const trained = await runtime.run({ KIND: 'TrainingJob', model: `onnx-${slug}`, epochs: 150, ...job });
    const files = await tracker.downloadModel(trained.modelUri, path.join(dir, `${slug}-files`));
    const mlmodel = await readMlmodel(files);
    expect(Object.keys(mlmodel.flavors).sort()).toEqual(['mlops_kit', 'onnx', 'python_function']);
    const model = parseModel(await readFile(path.join(files, 'model.json'), 'utf8'), 'model.json');
    const signature = mlmodel.signature!;
    expect(signature.inputs.map((c) => c.name)).toEqual(model.featureNames);

    // rows spread around the training data: the example rows, and each shifted and scaled
    const example = JSON.parse(await readFile(path.join(files, 'input_example.json'), 'utf8')) as { columns: string[]; data: number[][] };
    const rows = [...example.data, ...example.data.map((row) => row.map((v, j) => Math.round(v * 2 + j)))];
    const records = rows.map((row) => Object.fromEntries(model.featureNames.map((name, j) => [name, row[j]!])));
    const scorer = await ONNX_FLAVOR_LOADER.load({ uri: trained.modelUri, dir: files, flavor: mlmodel.flavors.onnx!, flavors: Object.keys(mlmodel.flavors), signature });
    try {
      const { variable } = await scorer.score(checkModelInput(records, signature.inputs));
      const expected = predict(model, rows);
      expect(variable).toHaveLength(rows.length);
      (variable as number[]).forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(expected[i]!))));
    } finally {
      await scorer.release?.();
    }
    const graph = onnx.ModelProto.decode(await readFile(path.join(files, 'model.onnx'))).graph!;
    return { inputType: graph.input![0]!.type!.tensorType!.elemType };
  } finally {
    await runtime.close();
  }
}

describe('TrainingJob logs its model as ONNX beside model.json', () => {
  it.each([
    ['memory', () => 'memory:'],
    ['local store', () => path.join(dir, 'mlruns')],
  ])('on the %s backend the ONNX predictions equal the model.json predictions (float32 precision)', async (name, uri) => {
    const { inputType } = await trainAndCompare(uri(), { rows: 300, seed: 11 }, name.replace(/\W+/g, '-'));
    expect(inputType).toBe(onnx.TensorProto.DataType.FLOAT); // the bike data mixes long and double columns
  });

  it('on a CSV of whole numbers only, the graph takes int64, as MLflow feeds a table of long columns', async () => {
    const csv = path.join(dir, 'counts.csv');
    const rows = Array.from({ length: 60 }, (_, i) => `${i % 24},${(i * 7) % 13},${3 * (i % 24) - 2 * ((i * 7) % 13) + 40}`);
    await writeFile(csv, ['hour,visitors,demand', ...rows].join('\n'));
    const { inputType } = await trainAndCompare('memory:', { dataPath: csv, learningRate: 0.1, l2: 0 }, 'csv');
    expect(inputType).toBe(onnx.TensorProto.DataType.INT64);
  });
});
