/**
 * An element type of an ONNX tensor, as numpy and onnxruntime name it.
 *
 * @example const type: OnnxElementType = 'float32';
 */
export type OnnxElementType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool';

/**
 * A named graph input or output: its element type and shape, a string for a symbolic dimension
 * (`'N'`, the batch size).
 *
 * @example const input: OnnxValueInfo = { name: 'input', type: 'float32', shape: ['N', 7] };
 */
export interface OnnxValueInfo {
  name: string;
  type: OnnxElementType;
  shape: (number | string)[];
}

/**
 * A constant tensor stored in the graph (weights, means), row-major.
 *
 * @example const weights: OnnxInitializer = { name: 'weights', type: 'float32', dims: [7, 1], values: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7] };
 */
export interface OnnxInitializer {
  name: string;
  type: OnnxElementType;
  dims: number[];
  values: readonly number[];
}

/**
 * One operator of the graph, in the default ONNX domain (`Sub`, `Div`, `MatMul`, `Add`, `Cast` …).
 *
 * @example const node: OnnxNode = { opType: 'MatMul', inputs: ['scaled', 'weights'], outputs: ['product'] };
 */
export interface OnnxNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  /** Integer, float or string attributes (e.g. Cast's `to`). */
  attributes?: Record<string, number | string | number[]>;
}

/**
 * An ONNX model as plain data: what `tracker.logModel(runId, { onnx })` encodes into `model.onnx` (the
 * protobuf file MLflow's onnx flavor and onnxruntime read). Nodes are listed in execution order.
 *
 * @example
 * const graph: OnnxGraph = {
 *   name: 'linear', opsetVersion: 13,
 *   inputs: [{ name: 'input', type: 'float32', shape: ['N', 1] }], outputs: [{ name: 'prediction', type: 'float32', shape: ['N', 1] }],
 *   initializers: [{ name: 'w', type: 'float32', dims: [1, 1], values: [2] }],
 *   nodes: [{ opType: 'MatMul', inputs: ['input', 'w'], outputs: ['prediction'] }],
 * };
 */
export interface OnnxGraph {
  name: string;
  /** The default domain's opset the nodes follow (13 runs on every onnxruntime since 1.7). */
  opsetVersion: number;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  initializers: OnnxInitializer[];
  nodes: OnnxNode[];
  /** Free text stored as the graph's doc string. */
  docString?: string;
}
