/**
 * @jest-environment node
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ErrorCodes } from 'mlops-kit';
import { ONNX_FLAVOR_LOADER } from '../../../src/infrastructure/models/onnx';
import { linearOnnx } from '../../support/onnx-models';

// Jest's stock node environment (this file's docblock): each test file gets its own typed-array classes,
// as an app's Jest suite does, and onnxruntime-node refuses the outputs its native code built.
it("under Jest's stock environment, a score names the one setting that fixes it (mlops-kit/jest-environment)", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-realm-'));
  try {
    await writeFile(path.join(dir, 'model.onnx'), linearOnnx({ weights: [2], bias: 1 }));
    const scorer = await ONNX_FLAVOR_LOADER.load({ uri: 'models:/realm/1', dir, flavor: { data: 'model.onnx' }, flavors: ['onnx'] });
    const failure = await scorer.score({ rows: 1, columns: { [scorer.inputs![0]!.name!]: [3] } }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: ErrorCodes.MODEL_LOAD_FAILED });
    expect((failure as Error).message).toMatch(/under Jest, set testEnvironment: 'mlops-kit\/jest-environment'\.$/);
    await scorer.release?.();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
