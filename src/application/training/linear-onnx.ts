import { ValidationError } from '../../domain/errors';
import type { ColumnSpec } from '../../domain/model/logged-model';
import type { OnnxElementType, OnnxGraph, OnnxNode } from '../../domain/model/onnx-graph';
import type { LinearModel } from './linear-model';

/**
 * The name of the one input of a linear model's ONNX graph: an `[N, k]` table, the features in
 * `featureNames` order.
 *
 * @example const feeds = { [LINEAR_ONNX_INPUT]: tensor };
 */
export const LINEAR_ONNX_INPUT = 'input';

/**
 * The name of its output, one prediction per row (`[N]`). skl2onnx names a regressor's output the same,
 * so the model reads like any sklearn model exported to ONNX.
 *
 * @example const { variable } = await model.predict(rows);
 */
export const LINEAR_ONNX_OUTPUT = 'variable';

/** ONNX's code for float32 in Cast's `to` attribute (TensorProto.FLOAT). */
const ONNX_FLOAT = 1;

/**
 * A {@link LinearModel} as an ONNX graph, so MLflow's own Python tools (`mlflow.pyfunc`, `mlflow models
 * serve`) and onnxruntime score the model TrainingJob trained, with no code of ours:
 * `variable = MatMul((input − means) / stds, weights) + bias`, in float32.
 *
 * The weights are a 1-D `[k]` tensor, so MatMul of `[N, k]` by `[k]` gives `[N]`: ONE number per row
 * whatever MLflow version scores it (MLflow flattens each output to a DataFrame column; newer versions
 * keep an `[N, 1]` output as one-element lists instead).
 *
 * The input's element type is what MLflow will feed: its onnx wrapper passes `DataFrame.values`, whose
 * dtype pandas derives from the signature's column types, and casts only float64 to float32. So a table
 * with any float or optional column is fed as float64 → float32 (the input is float32); one of only
 * `long` columns comes as int64 and one of only `integer` columns as int32, which the graph takes as
 * such and casts to float32 itself (a float32 input would make MLflow's predict fail on them).
 *
 * @example const graph = linearOnnxGraph(outcome.model, signatureOf(data).inputs);
 */
export function linearOnnxGraph(model: LinearModel, columns: readonly ColumnSpec[]): OnnxGraph {
  const names = columns.map((c) => c.name);
  if (names.join('\u0000') !== model.featureNames.join('\u0000')) {
    throw new ValidationError(`linearOnnxGraph: the columns (${names.join(', ')}) must be the model's features in order (${model.featureNames.join(', ')}).`, undefined, {
      details: { columns: names },
    });
  }
  const k = model.featureNames.length;
  const inputType = tableElementType(columns);
  const cast: OnnxNode[] = inputType === 'float32' ? [] : [{ opType: 'Cast', name: 'to_float', inputs: [LINEAR_ONNX_INPUT], outputs: ['input_float'], attributes: { to: ONNX_FLOAT } }];
  const x = cast.length > 0 ? 'input_float' : LINEAR_ONNX_INPUT;
  return {
    name: 'mlops_kit_linear_regression',
    opsetVersion: 13,
    docString: `mlops-kit linear regression of ${model.target} on ${model.featureNames.join(', ')}: (input - means) / stds * weights + bias.`,
    inputs: [{ name: LINEAR_ONNX_INPUT, type: inputType, shape: ['N', k] }],
    outputs: [{ name: LINEAR_ONNX_OUTPUT, type: 'float32', shape: ['N'] }],
    initializers: [
      { name: 'means', type: 'float32', dims: [k], values: model.featureMeans },
      { name: 'stds', type: 'float32', dims: [k], values: model.featureStds },
      { name: 'weights', type: 'float32', dims: [k], values: model.weights },
      { name: 'bias', type: 'float32', dims: [], values: [model.bias] },
    ],
    nodes: [
      ...cast,
      { opType: 'Sub', name: 'center', inputs: [x, 'means'], outputs: ['centered'] },
      { opType: 'Div', name: 'scale', inputs: ['centered', 'stds'], outputs: ['scaled'] },
      { opType: 'MatMul', name: 'dot', inputs: ['scaled', 'weights'], outputs: ['product'] },
      { opType: 'Add', name: 'offset', inputs: ['product', 'bias'], outputs: [LINEAR_ONNX_OUTPUT] },
    ],
  };
}

/**
 * The element type of `DataFrame.values` for a table of these signature columns after MLflow enforces
 * the signature (int64 for `long`, int32 for `integer`, float64 for `double`, float32 for `float`, an
 * optional column float64 for its NaNs), as the ONNX input that takes it: float32 for anything floating
 * (MLflow casts float64 to float32 before running), else the integer type.
 *
 * @example tableElementType([{ name: 'hour', type: 'long' }, { name: 'temp', type: 'double' }]); // 'float32'
 */
export function tableElementType(columns: readonly ColumnSpec[]): OnnxElementType {
  if (columns.length === 0 || columns.some((c) => c.required === false || (c.type !== 'long' && c.type !== 'integer'))) return 'float32';
  return columns.every((c) => c.type === 'integer') ? 'int32' : 'int64';
}
