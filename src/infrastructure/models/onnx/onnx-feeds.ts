import { ErrorCodes, ModelLoadError, ValidationError } from '../../../domain/errors';
import type { ColumnSpec, ColumnType, ModelSignature } from '../../../domain/model/logged-model';
import type { ColumnBatch, ModelValue } from '../../../domain/model/model-input';

/**
 * A model input as onnxruntime reports it (`session.inputMetadata`): element type and declared shape, a
 * string for a symbolic dimension, `[]` when the file declares none.
 *
 * @example const meta: TensorMeta = { name: 'input', type: 'float32', shape: ['N', 7] };
 */
export interface TensorMeta {
  name: string;
  type: string;
  shape: readonly (number | string)[];
}

/** The element types a table column can be fed as, and the column type each reads as without a signature. */
const FEEDABLE: Record<string, ColumnType> = { float32: 'float', float64: 'double', int32: 'integer', int64: 'long', bool: 'boolean', string: 'string' };
const NUMERIC: ReadonlySet<ColumnType> = new Set(['integer', 'long', 'float', 'double']);
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * How one ONNX input is fed: the columns that fill it, in order, and its tensor shape, `[n]` (`rank` 1)
 * or `[n, columns]` (`rank` 2). `rows` is set when the file fixes the batch size.
 *
 * @example const feed: Feed = { input: 'input', type: 'float32', columns: ['hour', 'temperature'], rank: 2 };
 */
export interface Feed {
  input: string;
  type: string;
  columns: string[];
  rank: 1 | 2;
  rows?: number;
}

/**
 * Works out, once at load, how a table is fed to a model's inputs, exactly as MLflow's
 * `_OnnxModelWrapper.predict` feeds a DataFrame: ONE input takes every column in order (`df.values`,
 * `[n, k]`); SEVERAL inputs each take the column of their own name (`[n]`, or `[n, 1]` when declared so).
 * An input that contradicts the signature (a fixed width other than its column count, a name the
 * signature lacks, a column whose type it cannot take without loss) is a ModelLoadError naming both
 * sides. Without a signature the inputs name the columns: one per input, or one for a single input of
 * width 1; a single input wider than that has no column names to take, so it is refused.
 *
 * @example const { feeds, columns } = planFeeds('models:/m-1', 'model.onnx', [{ name: 'input', type: 'float32', shape: ['N', 2] }], signature);
 */
export function planFeeds(uri: string, file: string, inputs: readonly TensorMeta[], signature: ModelSignature | undefined): { feeds: Feed[]; columns: ColumnSpec[] } {
  const fail = (why: string): never => {
    throw new ModelLoadError(`${uri}: ${file} ${why}.`, ErrorCodes.MODEL_LOAD_FAILED, { details: { uri, file } });
  };
  if (inputs.length === 0) fail('has no inputs; mlops-kit feeds a model a table of columns');
  for (const input of inputs) {
    if (FEEDABLE[input.type] === undefined) {
      fail(`input "${input.name}" takes ${input.type === 'non-tensor' ? 'a sequence or map, not a tensor' : `${input.type} tensors`}; mlops-kit feeds tensors of ${Object.keys(FEEDABLE).join(', ')}`);
    }
    if (input.shape.length > 2) fail(`input "${input.name}" has shape [${input.shape.join(', ')}]; mlops-kit feeds tables, [n] or [n, k]`);
  }
  const named = signature?.inputs.filter((c): c is ColumnSpec & { name: string } => c.name !== undefined);
  const columns: ColumnSpec[] = named ?? [];
  let feeds: Feed[];
  if (inputs.length === 1) {
    const input = inputs[0]!;
    const width = input.shape.length === 1 ? 1 : typeof input.shape[1] === 'number' ? input.shape[1] : undefined;
    if (named === undefined) {
      if (width !== 1) {
        fail(`has no signature; log it with one (MLflow infers it from an input example) so its ${width ?? 'input'} columns have names (its one input "${input.name}" has shape [${input.shape.join(', ')}])`);
      }
      columns.push({ name: input.name, type: FEEDABLE[input.type]! });
    } else if (width !== undefined && width !== named.length) {
      fail(`input "${input.name}" takes ${width} column${width === 1 ? '' : 's'} (shape [${input.shape.join(', ')}]) but the signature has ${named.length} (${named.map((c) => c.name).join(', ')}); re-log the model with a matching signature`);
    }
    feeds = [{ input: input.name, type: input.type, columns: columns.map((c) => c.name!), rank: input.shape.length === 1 ? 1 : 2 }];
  } else {
    feeds = inputs.map((input) => {
      if (input.shape.length === 2 && typeof input.shape[1] === 'number' && input.shape[1] !== 1) {
        fail(`input "${input.name}" takes ${input.shape[1]} values per row (shape [${input.shape.join(', ')}]), but a model with several inputs is fed one column per input`);
      }
      if (named === undefined) columns.push({ name: input.name, type: FEEDABLE[input.type]! });
      else if (!named.some((c) => c.name === input.name)) {
        fail(`input "${input.name}" has no column of that name in the signature (${named.map((c) => c.name).join(', ')}); each input of a model with several is fed the column of its name`);
      }
      return { input: input.name, type: input.type, columns: [input.name], rank: input.shape.length === 2 ? 2 : 1 };
    });
  }
  for (const [i, feed] of feeds.entries()) {
    const batch = inputs[i]!.shape[0];
    if (typeof batch === 'number') feed.rows = batch;
    for (const name of feed.columns) {
      const column = columns.find((c) => c.name === name)!;
      if (!feedsLosslessly(column.type, feed.type)) fail(`input "${feed.input}" takes ${feed.type} but the signature's column "${name}" is ${column.type}; re-log the model with a matching signature`);
    }
  }
  return { feeds, columns };
}

/** Whether a column of this signature type goes into a tensor of this element type without losing anything. */
function feedsLosslessly(column: ColumnType, element: string): boolean {
  if (element === 'float32' || element === 'float64') return NUMERIC.has(column) || column === 'boolean';
  if (element === 'int32' || element === 'int64') return column === 'integer' || column === 'long' || column === 'boolean';
  return element === 'bool' ? column === 'boolean' : column === 'string';
}

/**
 * The data and dims of one input's tensor for a checked batch: row-major, the batch's numbers cast to
 * the input's element type (`null` in an optional column is NaN in a float input; an integer or bool
 * input cannot take it: a ValidationError naming the column and row).
 *
 * @example const { data, dims } = tensorData(feed, batch); new ort.Tensor(feed.type, data, dims);
 */
export function tensorData(feed: Feed, batch: ColumnBatch): { data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | string[]; dims: number[] } {
  if (feed.rows !== undefined && batch.rows !== feed.rows) {
    invalid(`the model's input "${feed.input}" takes exactly ${feed.rows} row${feed.rows === 1 ? '' : 's'} per call, got ${batch.rows}`, {});
  }
  const k = feed.columns.length;
  const n = batch.rows;
  const dims = feed.rank === 1 ? [n] : [n, k];
  const refuse = (j: number, r: number, what: string): never =>
    invalid(`column "${feed.columns[j]}" row ${r}: the model's input "${feed.input}" (${feed.type}) cannot take ${what}`, { column: feed.columns[j], row: r });
  const float = feed.type === 'float32' || feed.type === 'float64';
  /** Any cell that is not a plain number: booleans as 0/1, a missing value as NaN in a float input, anything else refused. */
  const slow = (value: ModelValue, j: number, r: number): number => {
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (value === null && float) return NaN;
    return refuse(j, r, value === null ? 'a missing value' : typeof value);
  };
  // column by column into the row-major buffer, plain loops (the hot path of every prediction); int32 and
  // int64 inputs get whole numbers only (checkModelInput saw to it for integer columns), checked for range
  const fill = <A extends Float32Array | Float64Array | Int32Array | Uint8Array>(data: A): A => {
    for (let j = 0; j < k; j++) {
      const column = batch.columns[feed.columns[j]!]!;
      for (let r = 0, i = j; r < n; r++, i += k) {
        const value = column[r];
        data[i] = typeof value === 'number' ? value : slow(value!, j, r);
      }
    }
    return data;
  };
  switch (feed.type) {
    case 'float32':
      return { data: fill(new Float32Array(n * k)), dims };
    case 'float64':
      return { data: fill(new Float64Array(n * k)), dims };
    case 'int32': {
      const data = fill(new Float64Array(n * k));
      const at = data.findIndex((v) => v < INT32_MIN || v > INT32_MAX);
      if (at >= 0) refuse(at % k, Math.floor(at / k), String(data[at]));
      return { data: Int32Array.from(data), dims };
    }
    case 'int64':
      return { data: BigInt64Array.from(fill(new Float64Array(n * k)), (v) => BigInt(v)), dims };
    case 'bool':
      return { data: Uint8Array.from(fill(new Float64Array(n * k)), (v) => (v ? 1 : 0)), dims };
    default: {
      const data = new Array<string>(n * k);
      for (let j = 0; j < k; j++) {
        const column = batch.columns[feed.columns[j]!]!;
        for (let r = 0; r < n; r++) {
          const value = column[r]!;
          data[r * k + j] = typeof value === 'string' ? value : refuse(j, r, value === null ? 'a missing value' : typeof value);
        }
      }
      return { data, dims };
    }
  }
}

function invalid(why: string, details: Record<string, unknown>): never {
  throw new ValidationError(`Model input: ${why}.`, ErrorCodes.MODEL_INPUT_INVALID, { details });
}
