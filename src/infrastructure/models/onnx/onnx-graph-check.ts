import { ErrorCodes, ValidationError } from '../../../domain/errors';
import type { OnnxElementType, OnnxGraph, OnnxInitializer, OnnxNode, OnnxValueInfo } from '../../../domain/model/onnx-graph';

const ELEMENT_TYPES: ReadonlySet<OnnxElementType> = new Set(['float32', 'float64', 'int32', 'int64', 'bool']);
const INT_RANGE: Partial<Record<OnnxElementType, [number, number]>> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  bool: [0, 1],
};

/**
 * Checks an {@link OnnxGraph} before it is encoded, so a mistake is a ValidationError naming the node or
 * value here, not an onnxruntime error when someone loads the file: every name is defined once (graph
 * inputs, initializers and node outputs share one namespace in ONNX), every node reads only graph
 * inputs, initializers or outputs of EARLIER nodes (ONNX lists nodes in execution order), every graph
 * output is produced, and initializers hold as many values as their dims say, of their type.
 *
 * @example checkOnnxGraph(graph); // throws ValidationError: ONNX graph "linear": node 1 (Add) reads "scaled", …
 */
export function checkOnnxGraph(graph: OnnxGraph): void {
  const where = `ONNX graph ${JSON.stringify(graph.name)}`;
  if (typeof graph.name !== 'string' || graph.name === '') fail('ONNX graph: give it a name (graph.name), ONNX requires one', {});
  if (!Number.isInteger(graph.opsetVersion) || graph.opsetVersion < 1) {
    fail(`${where}: opsetVersion must be a positive whole number (e.g. 13), got ${String(graph.opsetVersion)}`, { opsetVersion: graph.opsetVersion });
  }
  if (graph.outputs.length === 0) fail(`${where}: it has no outputs; list what the model returns in graph.outputs`, {});
  const defined = new Set<string>();
  const define = (name: string, what: string) => {
    if (typeof name !== 'string' || name === '') fail(`${where}: ${what} has no name`, { what });
    if (defined.has(name)) fail(`${where}: the name ${JSON.stringify(name)} is defined twice (${what}); names of inputs, initializers and node outputs must be unique`, { name });
    defined.add(name);
  };
  graph.inputs.forEach((input, i) => {
    checkValueInfo(input, `${where}: input ${i}`);
    define(input.name, `input ${i}`);
  });
  graph.initializers.forEach((init, i) => {
    checkInitializer(init, `${where}: initializer ${JSON.stringify(init.name)}`);
    define(init.name, `initializer ${i}`);
  });
  graph.nodes.forEach((node, i) => {
    const label = `node ${i} (${node.opType}${node.name ? ` ${JSON.stringify(node.name)}` : ''})`;
    checkNode(node, `${where}: ${label}`);
    for (const input of node.inputs) {
      // '' is ONNX's way to leave an optional input out
      if (input !== '' && !defined.has(input)) {
        fail(`${where}: ${label} reads ${JSON.stringify(input)}, which is not a graph input, an initializer or an output of an earlier node`, { node: i, input });
      }
    }
    node.outputs.forEach((output) => define(output, label));
  });
  graph.outputs.forEach((output, i) => {
    checkValueInfo(output, `${where}: output ${i}`);
    if (!defined.has(output.name)) fail(`${where}: output ${JSON.stringify(output.name)} is not produced by any node, input or initializer`, { output: output.name });
  });
}

function checkValueInfo(value: OnnxValueInfo, where: string): void {
  if (!ELEMENT_TYPES.has(value.type)) fail(`${where} (${JSON.stringify(value.name)}): element type ${JSON.stringify(value.type)} is not one of ${[...ELEMENT_TYPES].join(', ')}`, { name: value.name });
  for (const dim of value.shape) {
    const ok = typeof dim === 'string' ? dim !== '' : Number.isInteger(dim) && dim >= 0;
    if (!ok) fail(`${where} (${JSON.stringify(value.name)}): dimension ${JSON.stringify(dim)} must be a whole number ≥ 0 or a symbolic name such as "N"`, { name: value.name });
  }
}

function checkInitializer(init: OnnxInitializer, where: string): void {
  if (!ELEMENT_TYPES.has(init.type)) fail(`${where}: element type ${JSON.stringify(init.type)} is not one of ${[...ELEMENT_TYPES].join(', ')}`, { name: init.name });
  if (!init.dims.every((d) => Number.isInteger(d) && d >= 0)) fail(`${where}: dims must be whole numbers ≥ 0, got [${init.dims.join(', ')}]`, { name: init.name });
  const size = init.dims.reduce((a, b) => a * b, 1);
  if (init.values.length !== size) fail(`${where}: dims [${init.dims.join(', ')}] hold ${size} values but ${init.values.length} are given`, { name: init.name });
  const range = INT_RANGE[init.type];
  const bad = init.values.findIndex((v) => typeof v !== 'number' || (range !== undefined && !(Number.isInteger(v) && v >= range[0] && v <= range[1])));
  if (bad >= 0) fail(`${where}: value ${bad} (${String(init.values[bad])}) is not a valid ${init.type}`, { name: init.name, index: bad });
}

function checkNode(node: OnnxNode, where: string): void {
  if (typeof node.opType !== 'string' || node.opType === '') fail(`${where}: opType is empty; name the ONNX operator (e.g. MatMul)`, {});
  if (node.outputs.length === 0) fail(`${where}: it has no outputs`, {});
  for (const [key, value] of Object.entries(node.attributes ?? {})) {
    const ok = typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) || (Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v)));
    if (!ok) fail(`${where}: attribute ${JSON.stringify(key)} must be a finite number, a string or a list of finite numbers`, { attribute: key });
  }
}

function fail(message: string, details: Record<string, unknown>): never {
  throw new ValidationError(`${message}.`, ErrorCodes.VALIDATION, { details });
}
