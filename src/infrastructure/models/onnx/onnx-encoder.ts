import type { onnx as Onnx } from 'onnx-proto';
import { onnx } from './onnx-proto';
import { ErrorCodes, ValidationError } from '../../../domain/errors';
import type { OnnxElementType, OnnxGraph, OnnxInitializer, OnnxNode, OnnxValueInfo } from '../../../domain/model/onnx-graph';
import { kitVersion } from '../../kit-version';
import { checkOnnxGraph } from './onnx-graph-check';

/**
 * The ONNX release whose `onnx.proto` the encoder writes (onnx-proto 8.0.1 is generated from ONNX
 * v1.10.2): what the `onnx` flavor's `onnx_version` says, as MLflow writes the version of the `onnx`
 * package that serialised the model.
 *
 * @example flavors.onnx.onnx_version = ONNX_FORMAT_VERSION; // '1.10.2'
 */
export const ONNX_FORMAT_VERSION = '1.10.2';

/**
 * The IR version written into every model: 8, the newest ONNX 1.10 defines. onnxruntime reads it since
 * 1.10, Python's `onnx.checker` since onnx 1.10.
 *
 * @example ONNX_IR_VERSION; // 8
 */
export const ONNX_IR_VERSION = 8;

const DATA_TYPES: Record<OnnxElementType, Onnx.TensorProto.DataType> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float64: onnx.TensorProto.DataType.DOUBLE,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

/**
 * Encodes a graph as the bytes of an ONNX model file (`model.onnx`): IR version 8, the graph's opset of
 * the default domain, producer `mlops-kit` and its version. Symbolic dimensions (`'N'`) are written as
 * `dim_param`, initializers as little-endian `raw_data`. The graph is checked first
 * ({@link checkOnnxGraph}): a mistake is a ValidationError naming the node or value.
 *
 * Attributes: a whole number is written as an INT, any other number as a FLOAT, a list of whole
 * numbers as INTS, a string as STRING. An operator that wants a float attribute with a whole value
 * (`alpha: 1.0`) cannot be told apart: pass 1.0000001 or leave the attribute at its default.
 *
 * @example await fs.writeFile('model.onnx', encodeOnnx(graph));
 */
export function encodeOnnx(graph: OnnxGraph): Uint8Array {
  checkOnnxGraph(graph);
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: graph.opsetVersion }],
    producerName: 'mlops-kit',
    producerVersion: kitVersion(),
    graph: {
      name: graph.name,
      ...(graph.docString !== undefined && { docString: graph.docString }),
      input: graph.inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
      initializer: graph.initializers.map(tensor),
      node: graph.nodes.map(node),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/**
 * The bytes of `model.onnx` for a model given either way: a graph is encoded ({@link encodeOnnx}); bytes
 * are checked to decode as an ONNX model with a graph (a ValidationError otherwise: e.g. a JSON or
 * pickle file passed by mistake), and kept as they are.
 *
 * @example await fs.writeFile(join(dir, 'model.onnx'), onnxModelBytes(request.onnx));
 */
export function onnxModelBytes(model: OnnxGraph | Uint8Array): Uint8Array {
  // isView, not instanceof: bytes from another realm (a vm context, a Jest sandbox) are bytes too
  if (!ArrayBuffer.isView(model)) return encodeOnnx(model);
  let decoded: Onnx.ModelProto | undefined;
  try {
    decoded = onnx.ModelProto.decode(model);
  } catch {
    decoded = undefined;
  }
  if (!decoded?.graph?.output?.length) {
    throw new ValidationError(
      `onnx: the ${model.length} bytes given are not an ONNX model (they do not decode as an onnx ModelProto with a graph); pass the bytes of a .onnx file or an OnnxGraph.`,
      ErrorCodes.VALIDATION,
      { details: { bytes: model.length } },
    );
  }
  return model;
}

function valueInfo(value: OnnxValueInfo): Onnx.IValueInfoProto {
  return {
    name: value.name,
    type: {
      tensorType: {
        elemType: DATA_TYPES[value.type],
        shape: { dim: value.shape.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

function tensor(init: OnnxInitializer): Onnx.ITensorProto {
  return { name: init.name, dataType: DATA_TYPES[init.type], dims: [...init.dims], rawData: rawData(init.type, init.values) };
}

/** ONNX's raw_data: the values packed little-endian whatever the host's byte order. */
function rawData(type: OnnxElementType, values: readonly number[]): Uint8Array {
  const width = { float32: 4, float64: 8, int32: 4, int64: 8, bool: 1 }[type];
  const bytes = new Uint8Array(values.length * width);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => {
    const at = i * width;
    if (type === 'float32') view.setFloat32(at, v, true);
    else if (type === 'float64') view.setFloat64(at, v, true);
    else if (type === 'int32') view.setInt32(at, v, true);
    else if (type === 'int64') view.setBigInt64(at, BigInt(v), true);
    else view.setUint8(at, v);
  });
  return bytes;
}

function node(n: OnnxNode): Onnx.INodeProto {
  return {
    opType: n.opType,
    input: [...n.inputs],
    output: [...n.outputs],
    ...(n.name !== undefined && { name: n.name }),
    attribute: Object.entries(n.attributes ?? {}).map(([name, value]) => attribute(name, value)),
  };
}

function attribute(name: string, value: number | string | number[]): Onnx.IAttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) {
    return value.every(Number.isInteger) ? { name, type: AttributeType.INTS, ints: value } : { name, type: AttributeType.FLOATS, floats: value };
  }
  return Number.isInteger(value) ? { name, type: AttributeType.INT, i: value } : { name, type: AttributeType.FLOAT, f: value };
}
