/**
 * A Jest environment for tests that run ONNX models with onnxruntime-node: Jest's node environment with
 * the process's own typed-array constructors. Why: Jest runs each test file in its own V8 realm, so
 * `Float32Array` in the test is not the `Float32Array` the native binding creates outputs with, and
 * onnxruntime-common's `new Tensor(type, data)` (an `instanceof` check, run in the test's realm) refuses
 * them: "A float32 tensor's data must be type of function Float32Array()". Jest's own environment shares
 * `Uint8Array` and `ArrayBuffer` with the process for the same reason; this shares the rest. An app's
 * process has one realm and never needs this.
 *
 * Use it with a docblock at the top of a test file: `@jest-environment ./tests/support/onnx-jest-environment.js`.
 */
const { TestEnvironment } = require('jest-environment-node');

const TYPED_ARRAYS = [
  'Int8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

class OnnxJestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of TYPED_ARRAYS) this.global[name] = globalThis[name];
  }
}

module.exports = OnnxJestEnvironment;
