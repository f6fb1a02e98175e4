import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { TS_REQUIRE_HOOK } from '../../support/ts-require-hook';
import { linearOnnx } from '../../support/onnx-models';

/**
 * onnxruntime-node is an optional peer dependency. Here a real child `node` process loads the onnx flavor
 * with a `--require` hook that makes resolving that ONE package fail with MODULE_NOT_FOUND, exactly as
 * Node fails when the package is not installed: this simulates an app that never installed it (the
 * package cannot be uninstalled from the repository's node_modules for one test).
 */
const run = promisify(execFile);
const ONNX_INDEX = path.join(__dirname, '../../../src/infrastructure/models/onnx/index.ts');
const ERRORS = path.join(__dirname, '../../../src/domain/errors.ts');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'onnx-missing-'));
  await writeFile(path.join(dir, 'model.onnx'), linearOnnx({ weights: [2] }));
  await writeFile(
    path.join(dir, 'no-onnxruntime.js'),
    `const Module = require('module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'onnxruntime-node') {
    const error = new Error("Cannot find module 'onnxruntime-node'");
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolve.call(this, request, ...rest);
};
`,
  );
  await writeFile(
    path.join(dir, 'load.js'),
    `${TS_REQUIRE_HOOK}
const { ONNX_FLAVOR_LOADER } = require(${JSON.stringify(ONNX_INDEX)});
const { MlopsError } = require(${JSON.stringify(ERRORS)});
ONNX_FLAVOR_LOADER.load({ uri: 'models:/m-1', dir: ${JSON.stringify(dir)}, flavor: { data: 'model.onnx' }, flavors: ['onnx'], signature: { inputs: [{ name: 'x', type: 'double' }] } })
  .then(async (scorer) => {
    const out = await scorer.score({ rows: 1, columns: { x: [3] } });
    await scorer.release();
    console.log(JSON.stringify({ out }));
  })
  .catch((error) => console.log(JSON.stringify({ mlops: error instanceof MlopsError, name: error.name, code: error.code, message: error.message })));
`,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function loadIn(args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [...args, path.join(dir, 'load.js')], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

describe('scoring an ONNX model without onnxruntime-node installed', () => {
  it('is a ConfigError ADAPTER_NOT_AVAILABLE whose one line says what to install', async () => {
    const result = await loadIn(['--require', path.join(dir, 'no-onnxruntime.js')]);
    expect(result).toEqual({
      mlops: true,
      name: 'ConfigError',
      code: 'ADAPTER_NOT_AVAILABLE',
      message: 'Scoring an ONNX model needs onnxruntime-node: npm install onnxruntime-node',
    });
  });

  it('the same process without the hook scores the model (the hook is what takes the package away)', async () => {
    expect(await loadIn([])).toEqual({ out: { variable: [6] } });
  });
});
