import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { ErrorCodes, ValidationError, type OnnxGraph } from 'mlops-kit';
import { encodeOnnx, onnxModelBytes, ONNX_FORMAT_VERSION, ONNX_IR_VERSION } from '../../../src/infrastructure/models/onnx';
import { kitVersion } from '../../../src/infrastructure/kit-version';

/** Every element type as an initializer, each passed through to an output of its own. */
const constants: OnnxGraph = {
  name: 'constants',
  opsetVersion: 13,
  docString: 'initializers of every element type',
  inputs: [{ name: 'x', type: 'float32', shape: ['N'] }],
  outputs: [
    { name: 'f32', type: 'float32', shape: [2] },
    { name: 'f64', type: 'float64', shape: [2] },
    { name: 'i32', type: 'int32', shape: [2] },
    { name: 'i64', type: 'int64', shape: [2] },
    { name: 'b', type: 'bool', shape: [2] },
    { name: 'y', type: 'float32', shape: ['N'] },
  ],
  initializers: [
    { name: 'c_f32', type: 'float32', dims: [2], values: [1.5, -0.25] },
    { name: 'c_f64', type: 'float64', dims: [2], values: [0.1, 1e300] },
    { name: 'c_i32', type: 'int32', dims: [2], values: [-(2 ** 31), 2 ** 31 - 1] },
    { name: 'c_i64', type: 'int64', dims: [2], values: [Number.MIN_SAFE_INTEGER, 2 ** 40] },
    { name: 'c_b', type: 'bool', dims: [2], values: [1, 0] },
  ],
  nodes: [
    ...['f32', 'f64', 'i32', 'i64', 'b'].map((name) => ({ opType: 'Identity', inputs: [`c_${name}`], outputs: [name] })),
    { opType: 'Identity', name: 'copy', inputs: ['x'], outputs: ['y'] },
  ],
};

describe('encodeOnnx', () => {
  it('writes an ONNX model onnxruntime runs: IR 8, the opset, producer mlops-kit, symbolic dims as dim_param', async () => {
    const bytes = encodeOnnx(constants);
    const model = onnx.ModelProto.decode(bytes);
    expect(Number(model.irVersion)).toBe(ONNX_IR_VERSION);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 13]]);
    expect([model.producerName, model.producerVersion]).toEqual(['mlops-kit', kitVersion()]);
    expect(model.graph!.docString).toBe('initializers of every element type');
    expect(model.graph!.input![0]!.type!.tensorType!.shape!.dim![0]).toMatchObject({ dimParam: 'N' });

    const session = await ort.InferenceSession.create(bytes);
    try {
      expect(session.inputMetadata).toEqual([{ name: 'x', isTensor: true, type: 'float32', shape: ['N'] }]);
      expect(session.outputMetadata.map((o) => (o.isTensor ? [o.name, o.type, o.shape] : o.name))).toEqual(constants.outputs.map((o) => [o.name, o.type, o.shape]));
      const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([3, 4]), [2]) });
      expect(Array.from(out.f32!.data as Float32Array)).toEqual([1.5, -0.25]);
      expect(Array.from(out.f64!.data as Float64Array)).toEqual([0.1, 1e300]);
      expect(Array.from(out.i32!.data as Int32Array)).toEqual([-(2 ** 31), 2 ** 31 - 1]);
      expect(Array.from(out.i64!.data as BigInt64Array)).toEqual([BigInt(Number.MIN_SAFE_INTEGER), 2n ** 40n]);
      expect(Array.from(out.b!.data as Uint8Array)).toEqual([1, 0]);
      expect(Array.from(out.y!.data as Float32Array)).toEqual([3, 4]);
    } finally {
      await session.release();
    }
  });

  it('writes integer, float and list attributes with their ONNX types', () => {
    const graph: OnnxGraph = {
      name: 'attrs', opsetVersion: 13,
      inputs: [{ name: 'x', type: 'float32', shape: ['N', 2] }], outputs: [{ name: 'y', type: 'float32', shape: ['N', 2] }], initializers: [],
      nodes: [{ opType: 'Custom', inputs: ['x'], outputs: ['y'], attributes: { axis: 1, alpha: 0.5, perm: [1, 0], scales: [0.5, 2], mode: 'linear' } }],
    };
    const [node] = onnx.ModelProto.decode(encodeOnnx(graph)).graph!.node!;
    const { AttributeType } = onnx.AttributeProto;
    const byName = Object.fromEntries(node!.attribute!.map((a) => [a.name, a]));
    expect(byName.axis).toMatchObject({ type: AttributeType.INT });
    expect(Number(byName.axis!.i)).toBe(1);
    expect(byName.alpha).toMatchObject({ type: AttributeType.FLOAT, f: 0.5 });
    expect(byName.perm).toMatchObject({ type: AttributeType.INTS });
    expect(byName.scales).toMatchObject({ type: AttributeType.FLOATS, floats: [0.5, 2] });
    expect(new TextDecoder().decode(byName.mode!.s)).toBe('linear');
  });

  const base = (): OnnxGraph => ({
    name: 'g', opsetVersion: 13,
    inputs: [{ name: 'x', type: 'float32', shape: ['N', 1] }],
    outputs: [{ name: 'y', type: 'float32', shape: ['N', 1] }],
    initializers: [{ name: 'w', type: 'float32', dims: [1, 1], values: [2] }],
    nodes: [{ opType: 'MatMul', name: 'dot', inputs: ['x', 'w'], outputs: ['y'] }],
  });

  it.each<[string, (g: OnnxGraph) => void, string]>([
    ['a node reading an undefined name', (g) => { g.nodes[0]!.inputs[1] = 'weights'; }, 'ONNX graph "g": node 0 (MatMul "dot") reads "weights", which is not a graph input, an initializer or an output of an earlier node.'],
    ['a node reading a later output', (g) => { g.nodes.unshift({ opType: 'Neg', inputs: ['y'], outputs: ['z'] }); }, 'node 0 (Neg) reads "y"'],
    ['a name defined twice', (g) => { g.initializers.push({ name: 'x', type: 'float32', dims: [], values: [1] }); }, 'the name "x" is defined twice (initializer 1)'],
    ['an output no node produces', (g) => { g.outputs.push({ name: 'z', type: 'float32', shape: ['N'] }); }, 'output "z" is not produced by any node, input or initializer'],
    ['no outputs', (g) => { g.outputs = []; }, 'it has no outputs'],
    ['initializer values that do not fill its dims', (g) => { g.initializers[0]!.dims = [2, 1]; }, 'initializer "w": dims [2, 1] hold 2 values but 1 are given'],
    ['a fractional value in an int64 initializer', (g) => { g.initializers.push({ name: 'i', type: 'int64', dims: [1], values: [1.5] }); }, 'initializer "i": value 0 (1.5) is not a valid int64'],
    ['an unknown element type', (g) => { g.inputs[0]!.type = 'float16' as 'float32'; }, 'input 0 ("x"): element type "float16" is not one of'],
    ['a negative dimension', (g) => { g.inputs[0]!.shape = ['N', -1]; }, 'dimension -1 must be a whole number ≥ 0 or a symbolic name'],
    ['no graph name', (g) => { g.name = ''; }, 'ONNX graph: give it a name'],
    ['a fractional opset', (g) => { g.opsetVersion = 13.5; }, 'opsetVersion must be a positive whole number'],
    ['an attribute that is an object', (g) => { g.nodes[0]!.attributes = { to: { x: 1 } as unknown as number }; }, 'attribute "to" must be a finite number, a string or a list of finite numbers'],
  ])('refuses %s with a ValidationError naming it', (_case, breakIt, message) => {
    const graph = base();
    breakIt(graph);
    let error: unknown;
    try {
      encodeOnnx(graph);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe(ErrorCodes.VALIDATION);
    expect((error as ValidationError).message).toContain(message);
  });
});

describe('onnxModelBytes', () => {
  it('encodes a graph, keeps the bytes of an ONNX file as they are, and refuses bytes that are not one', () => {
    const bytes = encodeOnnx(base());
    expect(onnxModelBytes(base())).toEqual(bytes);
    expect(onnxModelBytes(bytes)).toBe(bytes);
    expect(() => onnxModelBytes(Buffer.from('{"weights": [1, 2]}'))).toThrow(/onnx: the 19 bytes given are not an ONNX model/);
    expect(() => onnxModelBytes(new Uint8Array(0))).toThrow(ValidationError);
  });

  function base(): OnnxGraph {
    return { name: 'g', opsetVersion: 13, inputs: [{ name: 'x', type: 'float32', shape: ['N'] }], outputs: [{ name: 'x', type: 'float32', shape: ['N'] }], initializers: [], nodes: [] };
  }
});

describe('ONNX_FORMAT_VERSION', () => {
  it("is the ONNX release onnx-proto's generated code comes from, so onnx_version stays honest when onnx-proto is upgraded", () => {
    const pkg = JSON.parse(readFileSync(path.join(require.resolve('onnx-proto'), '../../package.json'), 'utf8')) as { config: { onnx_tag: string } };
    expect(`v${ONNX_FORMAT_VERSION}`).toBe(pkg.config.onnx_tag);
  });
});
