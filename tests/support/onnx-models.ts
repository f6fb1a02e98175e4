import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ModelSignature } from '../../src/domain/model/logged-model';
import type { OnnxElementType, OnnxNode } from '../../src/domain/model/onnx-graph';
import type { ModelFiles } from '../../src/domain/ports/model-loader';
import { encodeOnnx } from '../../src/infrastructure/models/onnx';

/**
 * Real ONNX models for tests, built as OnnxGraphs and encoded by mlops-kit's own encoder: small enough to
 * compute expected predictions by hand, real enough for onnxruntime-node (and MLflow's Python) to run.
 * Every builder returns the bytes of a `.onnx` file.
 */

/** ONNX's Cast `to` code for float32. */
const FLOAT = 1;

/**
 * `y = x · weights + bias` on ONE `[N, k]` input (`input` unless named), cast to float32 first when the
 * input is another type. `output: 'n'` (default) gives `[N]`, `'n1'` gives `[N, 1]`. `width: 'symbolic'`
 * declares the input `['N', 'K']` instead of `['N', k]`; `batch` fixes the first dimension.
 *
 * @example const bytes = linearOnnx({ weights: [2, 3], bias: 1 }); // [[1, 1]] → [6]
 */
export function linearOnnx(options: {
  weights: number[];
  bias?: number;
  inputType?: OnnxElementType;
  inputName?: string;
  output?: 'n' | 'n1';
  width?: 'fixed' | 'symbolic';
  batch?: number;
}): Uint8Array {
  const { weights, bias = 0, inputType = 'float32', inputName = 'input', output = 'n', width = 'fixed' } = options;
  const k = weights.length;
  const x = inputType === 'float32' ? inputName : 'as_float';
  const column = output === 'n1';
  return encodeOnnx({
    name: 'test_linear',
    opsetVersion: 13,
    inputs: [{ name: inputName, type: inputType, shape: [options.batch ?? 'N', width === 'fixed' ? k : 'K'] }],
    outputs: [{ name: 'variable', type: 'float32', shape: column ? ['N', 1] : ['N'] }],
    initializers: [
      { name: 'w', type: 'float32', dims: column ? [k, 1] : [k], values: weights },
      { name: 'b', type: 'float32', dims: [], values: [bias] },
    ],
    nodes: [
      ...castToFloat(inputName, inputType, x),
      { opType: 'MatMul', inputs: [x, 'w'], outputs: ['product'] },
      { opType: 'Add', inputs: ['product', 'b'], outputs: ['variable'] },
    ],
  });
}

/**
 * `y = Σ weights[i] · inputs[i] + bias` over SEVERAL inputs, one column each: `rank` 1 declares an
 * input `[N]`, 2 declares `[N, 1]`; each is cast to float32 and the output is `[N]` (`total`).
 *
 * @example const bytes = multiInputOnnx({ inputs: [{ name: 'hour', type: 'int64' }, { name: 'temp', type: 'float32', rank: 2 }], weights: [1, 10] });
 */
export function multiInputOnnx(options: { inputs: { name: string; type: OnnxElementType; rank?: 1 | 2 }[]; weights: number[]; bias?: number }): Uint8Array {
  const nodes: OnnxNode[] = [];
  const columns = options.inputs.map((input) => {
    const float = `${input.name}_float`;
    nodes.push(...castToFloat(input.name, input.type, float, true));
    if ((input.rank ?? 1) === 2) return float;
    nodes.push({ opType: 'Unsqueeze', inputs: [float, 'axis_1'], outputs: [`${input.name}_column`] });
    return `${input.name}_column`;
  });
  return encodeOnnx({
    name: 'test_multi_input',
    opsetVersion: 13,
    inputs: options.inputs.map((input) => ({ name: input.name, type: input.type, shape: (input.rank ?? 1) === 2 ? ['N', 1] : ['N'] })),
    outputs: [{ name: 'total', type: 'float32', shape: ['N'] }],
    initializers: [
      { name: 'axis_1', type: 'int64', dims: [1], values: [1] },
      { name: 'w', type: 'float32', dims: [options.weights.length], values: options.weights },
      { name: 'b', type: 'float32', dims: [], values: [options.bias ?? 0] },
    ],
    nodes: [
      ...nodes,
      { opType: 'Concat', inputs: columns, outputs: ['table'], attributes: { axis: 1 } },
      { opType: 'MatMul', inputs: ['table', 'w'], outputs: ['product'] },
      { opType: 'Add', inputs: ['product', 'b'], outputs: ['total'] },
    ],
  });
}

/**
 * A softmax classifier on one `[N, k]` float32 input: `probabilities` `[N, c]` = softmax(x · weights +
 * bias), `label` `[N]` int64 = the argmax, `is_first` `[N]` bool = label is class 0. `weights` is k rows
 * of c values.
 *
 * @example const bytes = classifierOnnx({ weights: [[1, -1]], bias: [0, 0] }); // x = 2 → label 0
 */
export function classifierOnnx(options: { weights: number[][]; bias: number[] }): Uint8Array {
  const k = options.weights.length;
  const c = options.bias.length;
  return encodeOnnx({
    name: 'test_classifier',
    opsetVersion: 13,
    inputs: [{ name: 'input', type: 'float32', shape: ['N', k] }],
    outputs: [
      { name: 'label', type: 'int64', shape: ['N'] },
      { name: 'probabilities', type: 'float32', shape: ['N', c] },
      { name: 'is_first', type: 'bool', shape: ['N'] },
    ],
    initializers: [
      { name: 'w', type: 'float32', dims: [k, c], values: options.weights.flat() },
      { name: 'b', type: 'float32', dims: [c], values: options.bias },
      { name: 'zero', type: 'int64', dims: [], values: [0] },
    ],
    nodes: [
      { opType: 'MatMul', inputs: ['input', 'w'], outputs: ['product'] },
      { opType: 'Add', inputs: ['product', 'b'], outputs: ['logits'] },
      { opType: 'Softmax', inputs: ['logits'], outputs: ['probabilities'], attributes: { axis: 1 } },
      { opType: 'ArgMax', inputs: ['logits'], outputs: ['label'], attributes: { axis: 1, keepdims: 0 } },
      { opType: 'Equal', inputs: ['label', 'zero'], outputs: ['is_first'] },
    ],
  });
}

/**
 * Writes `bytes` as `model.onnx` in `dir` and returns the ModelFiles an onnx flavor loader gets for it
 * (flavor `data: model.onnx`, the signature when given).
 *
 * @example const scorer = await ONNX_FLAVOR_LOADER.load(await onnxModelFiles(dir, linearOnnx({ weights: [1] })));
 */
export async function onnxModelFiles(dir: string, bytes: Uint8Array, signature?: ModelSignature): Promise<ModelFiles> {
  await writeFile(path.join(dir, 'model.onnx'), bytes);
  return { uri: `file://${dir}`, dir, flavor: { data: 'model.onnx' }, flavors: ['onnx', 'python_function'], ...(signature !== undefined && { signature }) };
}

function castToFloat(input: string, type: OnnxElementType, output: string, always = false): OnnxNode[] {
  if (type === 'float32') return always ? [{ opType: 'Identity', inputs: [input], outputs: [output] }] : [];
  return [{ opType: 'Cast', inputs: [input], outputs: [output], attributes: { to: FLOAT } }];
}
