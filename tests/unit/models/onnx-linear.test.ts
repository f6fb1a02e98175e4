import * as ort from 'onnxruntime-node';
import { ValidationError, type ColumnSpec } from 'mlops-kit';
import { generateBikeDemand } from '../../../src/application/training/dataset';
import { signatureOf } from '../../../src/application/training/dataset-input';
import { predict, type LinearModel } from '../../../src/application/training/linear-model';
import { LINEAR_ONNX_INPUT, LINEAR_ONNX_OUTPUT, linearOnnxGraph, tableElementType } from '../../../src/application/training/linear-onnx';
import { trainModel } from '../../../src/application/training/train';
import { encodeOnnx } from '../../../src/infrastructure/models/onnx';

/** What onnxruntime predicts for `rows` with the model's ONNX graph, fed as MLflow feeds `df.values`. */
async function onnxPredict(model: LinearModel, columns: readonly ColumnSpec[], rows: number[][]): Promise<{ values: number[]; dims: readonly number[] }> {
  const graph = linearOnnxGraph(model, columns);
  const session = await ort.InferenceSession.create(encodeOnnx(graph));
  try {
    const type = graph.inputs[0]!.type;
    const flat = rows.flat();
    const data = type === 'int64' ? BigInt64Array.from(flat, BigInt) : type === 'int32' ? Int32Array.from(flat) : Float32Array.from(flat);
    const out = await session.run({ [LINEAR_ONNX_INPUT]: new ort.Tensor(type, data, [rows.length, columns.length]) });
    const result = out[LINEAR_ONNX_OUTPUT]!;
    return { values: Array.from(result.data as Float32Array), dims: result.dims };
  } finally {
    await session.release();
  }
}

/** Equal within float32 precision: relative 1e-5 of the prediction's size (at least 1). */
function expectFloat32Close(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(expected[i]!))));
}

describe('linearOnnxGraph', () => {
  it('predicts what predict() does for a trained model, within float32 precision, one number per row ([N])', async () => {
    const data = await generateBikeDemand(3, 400);
    const { model } = await trainModel(data, { seed: 3, epochs: 200, learningRate: 0.05, l2: 0.001, testFraction: 0.2 });
    const columns = signatureOf(data).inputs;
    const rows = data.features.slice(0, 100);
    const { values, dims } = await onnxPredict(model, columns, rows);
    expect(dims).toEqual([100]);
    expectFloat32Close(values, predict(model, rows));
  });

  it('standardises inside the graph: Sub means, Div stds, MatMul weights ([k]), Add bias, all float32', () => {
    const model = linear({ weights: [2, -1], bias: 5, featureMeans: [10, 0], featureStds: [2, 4] });
    const graph = linearOnnxGraph(model, [{ name: 'a', type: 'double' }, { name: 'b', type: 'double' }]);
    expect(graph.nodes.map((n) => n.opType)).toEqual(['Sub', 'Div', 'MatMul', 'Add']);
    expect(graph.inputs).toEqual([{ name: 'input', type: 'float32', shape: ['N', 2] }]);
    expect(graph.outputs).toEqual([{ name: 'variable', type: 'float32', shape: ['N'] }]);
    expect(graph.initializers.map((i) => [i.name, i.dims, i.values])).toEqual([
      ['means', [2], [10, 0]],
      ['stds', [2], [2, 4]],
      ['weights', [2], [2, -1]],
      ['bias', [], [5]],
    ]);
  });

  it.each([
    [[{ name: 'a', type: 'long' }, { name: 'b', type: 'long' }], 'int64'],
    [[{ name: 'a', type: 'integer' }, { name: 'b', type: 'integer' }], 'int32'],
  ] as const)('takes a table of only integer columns as MLflow feeds it (%j → %s) and casts it to float32 itself', async (columns, type) => {
    const model = linear({ weights: [2, -1], bias: 5, featureMeans: [10, 0], featureStds: [2, 4] });
    const graph = linearOnnxGraph(model, columns);
    expect(graph.inputs[0]!.type).toBe(type);
    expect(graph.nodes[0]).toMatchObject({ opType: 'Cast', attributes: { to: 1 } });
    const rows = [[12, 8], [10, 0], [-4, 3]];
    expectFloat32Close((await onnxPredict(model, columns, rows)).values, predict(model, rows));
  });

  it('refuses columns that are not the model features in order', () => {
    const model = linear({ weights: [1, 1], bias: 0, featureMeans: [0, 0], featureStds: [1, 1] });
    expect(() => linearOnnxGraph(model, [{ name: 'b', type: 'double' }, { name: 'a', type: 'double' }])).toThrow(ValidationError);
    expect(() => linearOnnxGraph(model, [{ name: 'a', type: 'double' }])).toThrow(/must be the model's features in order \(a, b\)/);
  });
});

describe('tableElementType', () => {
  it.each<[ColumnSpec[], string]>([
    [[{ name: 'a', type: 'long' }, { name: 'b', type: 'double' }], 'float32'],
    [[{ name: 'a', type: 'long' }, { name: 'b', type: 'integer' }], 'int64'],
    [[{ name: 'a', type: 'long', required: false }], 'float32'],
    [[{ name: 'a', type: 'float' }], 'float32'],
    [[], 'float32'],
  ])('%j → %s (what DataFrame.values holds after MLflow casts float64)', (columns, type) => {
    expect(tableElementType(columns)).toBe(type);
  });
});

function linear(parts: Pick<LinearModel, 'weights' | 'bias' | 'featureMeans' | 'featureStds'>): LinearModel {
  return {
    format: 'mlops-kit/linear-regression',
    formatVersion: 1,
    featureNames: parts.weights.map((_, i) => String.fromCharCode(97 + i)),
    target: 'y',
    hyperparams: {},
    ...parts,
  };
}
