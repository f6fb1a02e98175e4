import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { onnx } from 'onnx-proto';
import { checkModelInput, ErrorCodes, ModelLoadError, ValidationError, type ColumnSpec, type FlavorScorer, type ModelInput, type ModelSignature } from 'mlops-kit';
import { ONNX_FLAVOR_LOADER } from '../../../src/infrastructure/models/onnx';
import { classifierOnnx, linearOnnx, multiInputOnnx, onnxModelFiles } from '../../support/onnx-models';

/**
 * The onnx flavor loader on real ONNX files run by onnxruntime-node. A model is fed as MLflow's
 * `_OnnxModelWrapper.predict` feeds a DataFrame; input reaches `score` checked against the model's
 * columns, as the model loader does with `checkModelInput` before calling it.
 */
let dir: string;
const scorers: FlavorScorer[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'onnx-flavor-'));
});
afterEach(async () => {
  await Promise.all(scorers.splice(0).map((s) => s.release?.()));
  await rm(dir, { recursive: true, force: true });
});

async function load(bytes: Uint8Array, signature?: ModelSignature): Promise<FlavorScorer> {
  const scorer = await ONNX_FLAVOR_LOADER.load(await onnxModelFiles(dir, bytes, signature));
  scorers.push(scorer);
  return scorer;
}

/** Scores as the model loader does: input checked against the signature's columns, else the scorer's own. */
function score(scorer: FlavorScorer, input: ModelInput, signature?: ModelSignature) {
  return scorer.score(checkModelInput(input, signature?.inputs ?? scorer.inputs ?? []));
}

async function loadError(bytes: Uint8Array | Buffer, signature?: ModelSignature): Promise<ModelLoadError> {
  const error = await load(bytes, signature).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelLoadError);
  return error as ModelLoadError;
}

const sig = (...columns: [string, ColumnSpec['type']][]): ModelSignature => ({ inputs: columns.map(([name, type]) => ({ name, type })), outputs: [{ type: 'double' }] });

describe('the onnx flavor: one input takes every column, in signature order ([n, k])', () => {
  it('scores rows and columns alike, columns in the signature order whatever the key order of a row', async () => {
    const signature = sig(['hour', 'long'], ['temperature', 'double']);
    const scorer = await load(linearOnnx({ weights: [2, 3], bias: 1 }), signature);
    expect(scorer.outputNames).toEqual(['variable']);
    expect(await score(scorer, [{ temperature: 10, hour: 1 }, { hour: 2, temperature: 0.5 }], signature)).toEqual({ variable: [33, 6.5] });
    expect(await score(scorer, { hour: [1], temperature: [10] }, signature)).toEqual({ variable: [33] });
  });

  it('casts float64 values to a float32 input, as MLflow does before session.run', async () => {
    const signature = sig(['x', 'double']);
    const scorer = await load(linearOnnx({ weights: [1] }), signature);
    const { variable } = await score(scorer, [{ x: 0.1 }, { x: 1e-3 }], signature);
    expect(variable).toEqual([Math.fround(0.1), Math.fround(1e-3)]);
  });

  it.each([
    ['int64', 'long'],
    ['int32', 'integer'],
    ['float64', 'double'],
  ] as const)('feeds a %s input from %s columns', async (inputType, columnType) => {
    const signature = sig(['a', columnType], ['b', columnType]);
    const scorer = await load(linearOnnx({ weights: [1, 100], inputType }), signature);
    expect(await score(scorer, [{ a: 7, b: 3 }, { a: -2, b: 0 }], signature)).toEqual({ variable: [307, -2] });
  });

  it('gives one number per row for an [n, 1] output too, as MLflow flattens it', async () => {
    const signature = sig(['a', 'double'], ['b', 'double']);
    const scorer = await load(linearOnnx({ weights: [1, 2], output: 'n1' }), signature);
    expect(await score(scorer, [{ a: 1, b: 1 }, { a: 0, b: 4 }], signature)).toEqual({ variable: [3, 8] });
  });

  it('returns every output by name: [n, k] as an array per row, int64 as numbers, bool as booleans', async () => {
    const signature = sig(['x', 'double']);
    const scorer = await load(classifierOnnx({ weights: [[1, -1]], bias: [0, 0] }), signature);
    expect(scorer.outputNames).toEqual(['label', 'probabilities', 'is_first']);
    const out = await score(scorer, [{ x: 2 }, { x: -3 }, { x: 0 }], signature);
    expect(out.label).toEqual([0, 1, 0]);
    expect(out.is_first).toEqual([true, false, true]);
    const probabilities = out.probabilities as number[][];
    expect(probabilities).toHaveLength(3);
    expect(probabilities[0]![0]).toBeCloseTo(1 / (1 + Math.exp(-4)), 6);
    expect(probabilities[2]).toEqual([0.5, 0.5]);
  });

  it('feeds a nullable column as NaN into a float input, and refuses a null for an integer input', async () => {
    const optional: ModelSignature = { inputs: [{ name: 'x', type: 'double', required: false }] };
    const floats = await load(linearOnnx({ weights: [1] }), optional);
    expect((await score(floats, [{ x: null }, { x: 2 }], optional)).variable).toEqual([NaN, 2]);
    await rm(path.join(dir, 'model.onnx'));
    const longs: ModelSignature = { inputs: [{ name: 'x', type: 'long', required: false }] };
    const ints = await load(linearOnnx({ weights: [1], inputType: 'int64' }), longs);
    const error = await score(ints, [{ x: 1 }, { x: null }], longs).catch((e: unknown) => e as ValidationError);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: ErrorCodes.MODEL_INPUT_INVALID, message: expect.stringContaining('column "x" row 1') });
  });

  it('answers no rows with empty outputs, and holds a model to the batch size its file fixes', async () => {
    const signature = sig(['x', 'double']);
    const fixed = await load(linearOnnx({ weights: [1], batch: 1 }), signature);
    expect(await score(fixed, [], signature)).toEqual({ variable: [] });
    expect(await score(fixed, [{ x: 4 }], signature)).toEqual({ variable: [4] });
    const error = await score(fixed, [{ x: 1 }, { x: 2 }], signature).catch((e: unknown) => e as ValidationError);
    expect(error).toMatchObject({ code: ErrorCodes.MODEL_INPUT_INVALID, message: expect.stringContaining('takes exactly 1 row per call, got 2') });
  });
});

describe('the onnx flavor: several inputs each take the column of their name', () => {
  const inputs = [
    { name: 'hour', type: 'int64' as const },
    { name: 'temperature', type: 'float32' as const, rank: 2 as const },
  ];

  it('feeds [n] and [n, 1] inputs by name, casting to each input type; unused signature columns are checked, not fed', async () => {
    const signature = sig(['temperature', 'double'], ['note', 'string'], ['hour', 'long']);
    const scorer = await load(multiInputOnnx({ inputs, weights: [1, 10], bias: 0.5 }), signature);
    expect(scorer.outputNames).toEqual(['total']);
    expect(await score(scorer, [{ hour: 8, temperature: 2.5, note: 'x' }, { hour: 0, temperature: -1, note: '' }], signature)).toEqual({ total: [33.5, -9.5] });
  });

  it('without a signature takes one column per input, named and typed by the input', async () => {
    const scorer = await load(multiInputOnnx({ inputs, weights: [1, 10] }));
    expect(scorer.inputs).toEqual([
      { name: 'hour', type: 'long' },
      { name: 'temperature', type: 'float' },
    ]);
    expect(await score(scorer, [{ hour: 3, temperature: 1 }])).toEqual({ total: [13] });
  });

  it('refuses an input the signature has no column for, naming it and the columns', async () => {
    const error = await loadError(multiInputOnnx({ inputs, weights: [1, 10] }), sig(['hour', 'long'], ['temp', 'double']));
    expect(error.code).toBe(ErrorCodes.MODEL_LOAD_FAILED);
    expect(error.message).toContain('model.onnx input "temperature" has no column of that name in the signature (hour, temp)');
  });
});

describe('the onnx flavor: models without a signature', () => {
  it('a single input one column wide takes one column named after the input', async () => {
    const scorer = await load(linearOnnx({ weights: [3], inputName: 'x' }));
    expect(scorer.inputs).toEqual([{ name: 'x', type: 'float' }]);
    expect(await score(scorer, [{ x: 2 }])).toEqual({ variable: [6] });
  });

  it.each([
    ['fixed', 'its 2 columns have names'],
    ['symbolic', 'its input columns have names'],
  ] as const)('a single input of %s width > 1 is refused: its columns have no names', async (width, named) => {
    const error = await loadError(linearOnnx({ weights: [1, 2], width }));
    expect(error.code).toBe(ErrorCodes.MODEL_LOAD_FAILED);
    expect(error.message).toContain(`model.onnx has no signature; log it with one (MLflow infers it from an input example) so ${named}`);
  });
});

describe('the onnx flavor: files and signatures it cannot score', () => {
  const garbage = Buffer.from('\x08\x07\x12\x03not an onnx model at all \x00\xff\xfe binary', 'latin1');

  it.each([
    ['a corrupt file', () => garbage],
    ['a truncated file', () => linearOnnx({ weights: [1, 2, 3] }).subarray(0, 60)],
    ['an empty file', () => new Uint8Array(0)],
  ])('%s: one line naming model.onnx, with no stack text or bytes of the file', async (_kind, bytes) => {
    const error = await loadError(bytes());
    expect(error.code).toBe(ErrorCodes.MODEL_LOAD_FAILED);
    expect(error.message).toMatch(/^file:\/\/.*: model\.onnx is not a valid ONNX model \(onnxruntime: (?!Error:).+\); re-export or re-log it\.$/);
    expect(error.message).not.toMatch(/\n|at .*\(|[^\x20-\x7e…]/);
  });

  it('a missing data file, or a data path out of the model directory, names it', async () => {
    const missing = await ONNX_FLAVOR_LOADER.load({ uri: 'models:/m-1', dir, flavor: { data: 'graph.onnx' }, flavors: ['onnx'] }).catch((e: unknown) => e as ModelLoadError);
    expect(missing).toMatchObject({ code: ErrorCodes.MODEL_LOAD_FAILED, message: expect.stringContaining("models:/m-1: graph.onnx cannot be read (ENOENT): the onnx flavor's data file is missing") });
    const escape = await ONNX_FLAVOR_LOADER.load({ uri: 'models:/m-1', dir, flavor: { data: '../../etc/passwd' }, flavors: ['onnx'] }).catch((e: unknown) => e as ModelLoadError);
    expect(escape).toMatchObject({ code: ErrorCodes.MODEL_LOAD_FAILED, message: expect.stringContaining('"../../etc/passwd" is not a file inside the model\'s directory') });
  });

  it.each([
    ['a width other than the column count', () => linearOnnx({ weights: [1, 2] }), sig(['a', 'double'], ['b', 'double'], ['c', 'double']), 'input "input" takes 2 columns (shape [N, 2]) but the signature has 3 (a, b, c)'],
    ['a string column into a float input', () => linearOnnx({ weights: [1, 2] }), sig(['a', 'double'], ['b', 'string']), 'input "input" takes float32 but the signature\'s column "b" is string'],
    ['a double column into an int64 input', () => linearOnnx({ weights: [1], inputType: 'int64' }), sig(['a', 'double']), 'input "input" takes int64 but the signature\'s column "a" is double'],
  ])('refuses %s, naming both sides', async (_case, bytes, signature, message) => {
    const error = await loadError(bytes(), signature);
    expect(error.code).toBe(ErrorCodes.MODEL_LOAD_FAILED);
    expect(error.message).toContain(message);
  });
});

describe('the onnx flavor: one session, many callers', () => {
  it('scores 20 concurrent calls on one session, each its own answer', async () => {
    const signature = sig(['a', 'double'], ['b', 'double']);
    const scorer = await load(linearOnnx({ weights: [1, 1000] }), signature);
    const calls = Array.from({ length: 20 }, (_, i) => score(scorer, Array.from({ length: 50 + i }, (_, r) => ({ a: r, b: i })), signature));
    const results = await Promise.all(calls);
    results.forEach((out, i) => expect(out.variable).toEqual(Array.from({ length: 50 + i }, (_, r) => r + 1000 * i)));
  });

  it('release() frees the session once; scoring after it is a load error, not a crash', async () => {
    const signature = sig(['a', 'double']);
    const scorer = await load(linearOnnx({ weights: [1] }), signature);
    await scorer.release!();
    await scorer.release!();
    const error = await score(scorer, [{ a: 1 }], signature).catch((e: unknown) => e as ModelLoadError);
    expect(error).toMatchObject({ code: ErrorCodes.MODEL_LOAD_FAILED, message: expect.stringContaining('onnxruntime could not score model.onnx') });
  });
});

describe('the onnx flavor: string tensors', () => {
  it('feeds string columns and returns string outputs as strings', async () => {
    // OnnxGraph has no string tensors (mlops-kit writes numeric models), so this one is built with onnx-proto directly
    const text = (name: string) => ({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.STRING, shape: { dim: [{ dimParam: 'N' }] } } } });
    const bytes = onnx.ModelProto.encode({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 13 }],
      graph: { name: 'echo', input: [text('word')], output: [text('same')], node: [{ opType: 'Identity', input: ['word'], output: ['same'] }] },
    } as onnx.IModelProto).finish();
    const scorer = await load(bytes);
    expect(scorer.inputs).toEqual([{ name: 'word', type: 'string' }]);
    expect(await score(scorer, [{ word: 'héllo' }, { word: '' }])).toEqual({ same: ['héllo', ''] });
  });

});
