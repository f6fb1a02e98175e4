import { ErrorCodes, ModelLoadError } from '../../../domain/errors';
import type { PredictionValue } from '../../../domain/model/model-input';

/** Element types whose values come back as JS numbers (int64/uint64 arrive as bigint and are converted). */
const NUMBER_TYPES: ReadonlySet<string> = new Set(['float32', 'float64', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64']);

/**
 * Whether mlops-kit can turn an output of this element type into predictions: numbers, bool and string
 * tensors (float16 and 4-bit types, which JS has no array for, are not).
 *
 * @example readableOutputType('float32'); // true
 */
export function readableOutputType(type: string): boolean {
  return NUMBER_TYPES.has(type) || type === 'bool' || type === 'string';
}

/**
 * An output tensor as onnxruntime returns it: its element type, dims and flat row-major data.
 *
 * @example const out: OutputTensor = { type: 'float32', dims: [2], data: Float32Array.from([1.5, 2]) };
 */
export interface OutputTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: ArrayLike<number | bigint | string>;
}

/**
 * One prediction per input row from an output tensor, as MLflow's pyfunc returns a DataFrame column:
 * `[n]` and `[n, 1]` give one value per row (MLflow reshapes both to one column), `[n, k]` an array per
 * row, deeper shapes nested arrays. Numbers (int64 included) come back as numbers, bool as booleans,
 * strings as strings. An output without one entry per row is a ModelLoadError: the model does not
 * score row by row.
 *
 * @example rowsOf({ type: 'float32', dims: [2, 2], data: Float32Array.from([0.1, 0.9, 0.8, 0.2]) }, 2, 'probabilities', 'models:/m-1: model.onnx'); // [[0.1…, 0.9…], [0.8…, 0.2…]]
 */
export function rowsOf(tensor: OutputTensor, rows: number, name: string, where: string): PredictionValue[] {
  if (tensor.dims.length === 0 || tensor.dims[0] !== rows) {
    throw new ModelLoadError(
      `${where}: output "${name}" has shape [${tensor.dims.join(', ')}] for ${rows} input rows; mlops-kit reads one prediction per row (shape [n] or [n, k])`,
      ErrorCodes.MODEL_LOAD_FAILED,
      { details: { output: name } },
    );
  }
  const cell = tensor.type === 'bool' ? (v: unknown) => v !== 0 : tensor.type === 'string' ? (v: unknown) => String(v) : (v: unknown) => Number(v);
  const inner = tensor.dims.slice(1).filter((d, i, all) => !(all.length === 1 && d === 1));
  if (inner.length === 0) {
    // one value per row, the common case (a regression, a label): one plain loop
    const { data } = tensor;
    const out = new Array<PredictionValue>(rows);
    if (tensor.type !== 'bool' && typeof data[0] === 'number') for (let r = 0; r < rows; r++) out[r] = data[r] as number;
    else for (let r = 0; r < rows; r++) out[r] = cell(data[r]);
    return out;
  }
  const width = inner.reduce((a, b) => a * b, 1);
  const nest = (offset: number, depth: number): PredictionValue => {
    if (depth === inner.length) return cell(tensor.data[offset]);
    const stride = inner.slice(depth + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: inner[depth]! }, (_, i) => nest(offset + i * stride, depth + 1));
  };
  return Array.from({ length: rows }, (_, r) => nest(r * width, 0));
}
