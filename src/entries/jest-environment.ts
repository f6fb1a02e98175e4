/**
 * `mlops-kit/jest-environment`: Jest's node environment for an app's tests that score ONNX models. Jest
 * runs each test file in a realm of its own, so the `Float32Array` there is not the one onnxruntime-node's
 * native code builds outputs with, and onnxruntime refuses its own outputs ("A float32 tensor's data must
 * be type of function Float32Array()"). This environment gives each test file the process's typed-array
 * classes, as Jest already does for `Uint8Array` and `ArrayBuffer`. An app's own process has one realm
 * and never needs it.
 *
 * @example
 * // jest.config.js
 * module.exports = { testEnvironment: 'mlops-kit/jest-environment' };
 *
 * @packageDocumentation
 */
import { TestEnvironment } from 'jest-environment-node';

const TYPED_ARRAYS = [
  'Int8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
] as const;

/** Jest's node environment with the process's typed arrays (see the module comment). */
class MlopsJestEnvironment extends TestEnvironment {
  constructor(...args: ConstructorParameters<typeof TestEnvironment>) {
    super(...args);
    for (const name of TYPED_ARRAYS) (this.global as unknown as Record<string, unknown>)[name] = globalThis[name];
  }
}

export = MlopsJestEnvironment;
