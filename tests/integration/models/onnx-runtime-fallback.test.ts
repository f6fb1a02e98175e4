import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * An app that never installed onnxruntime-node (an optional peer), end to end through the built package:
 * a real child `node` process whose resolution of that ONE package fails with MODULE_NOT_FOUND (a
 * `--require` hook: the package cannot be uninstalled from the repository for one test). mlops-kit's own
 * models still score through their `mlops_kit` flavor, said once; an ONNX-only model is one line naming
 * the package to install.
 */
const run = promisify(execFile);
const DIST = path.join(__dirname, '../../../dist/index.js');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'onnx-fallback-'));
  await writeFile(
    path.join(dir, 'no-onnxruntime.js'),
    `const Module = require('module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'onnxruntime-node') throw Object.assign(new Error("Cannot find module 'onnxruntime-node'"), { code: 'MODULE_NOT_FOUND' });
  return resolve.call(this, request, ...rest);
};
`,
  );
  await writeFile(
    path.join(dir, 'app.js'),
    `const { mkdtempSync, writeFileSync } = require('fs');
const path = require('path');
const { createContainer, createRuntime, TYPES } = require(${JSON.stringify(DIST)});
const { MemoryLogger, MemoryAlerter } = require(${JSON.stringify(path.join(__dirname, '../../../dist/entries/testing.js'))});
(async () => {
  const logger = new MemoryLogger();
  const container = createContainer({ config: { tracking: { uri: path.join(${JSON.stringify(dir)}, 'mlruns') } }, overrides: { [TYPES.Logger]: logger, [TYPES.Alerter]: new MemoryAlerter() } });
  const runtime = createRuntime(container);
  await runtime.start();
  const { version } = await runtime.run({ KIND: 'TrainingJob', model: 'bikes', epochs: 5, rows: 100 });
  const predictor = runtime.predictor('models:/bikes/' + version);
  const row = { hour: 8, temperature: 14.5, humidity: 0.6, windspeed: 10, workingday: 1, holiday: 0, rush_hour: 1 };
  const { predictions } = await predictor.predict([row]);
  const flavor = predictor.status().flavor;
  // an ONNX-only model (what mlflow.onnx.log_model writes): nothing else to score it with
  const tracker = container.get(TYPES.Tracker);
  const { runId } = await tracker.createRun({});
  const graph = { name: 'g', opsetVersion: 13, inputs: [{ name: 'x', type: 'float32', shape: ['N', 1] }], outputs: [{ name: 'y', type: 'float32', shape: ['N', 1] }], initializers: [], nodes: [{ opType: 'Identity', inputs: ['x'], outputs: ['y'] }] };
  const logged = await tracker.logModel(runId, { name: 'model', onnx: graph, signature: { inputs: [{ name: 'x', type: 'float' }] } });
  const onnxOnly = await runtime.predictor(logged.modelUri).ready().catch((e) => ({ code: e.code, message: e.message }));
  await runtime.close();
  const fallbackLines = logger.entries.filter((e) => /instead/.test(e.message)).map((e) => e.level + ' ' + e.message);
  console.log(JSON.stringify({ predictions, flavor, onnxOnly, fallbackLines }));
})().catch((e) => console.log(JSON.stringify({ crashed: String(e && e.stack) })));
`,
  );
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('without onnxruntime-node: mlops-kit models score through mlops_kit (said once), ONNX-only models say what to install', async () => {
  const { stdout } = await run(process.execPath, ['--require', path.join(dir, 'no-onnxruntime.js'), path.join(dir, 'app.js')], { timeout: 90_000 });
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  expect(result).not.toHaveProperty('crashed');
  expect(result.flavor).toBe('mlops_kit');
  expect((result.predictions as number[])[0]).toEqual(expect.any(Number));
  expect(result.onnxOnly).toEqual({ code: 'ADAPTER_NOT_AVAILABLE', message: 'Scoring an ONNX model needs onnxruntime-node: npm install onnxruntime-node' });
  expect(result.fallbackLines).toEqual([expect.stringMatching(/^info Scoring onnx models with their mlops_kit flavor instead: .*npm install onnxruntime-node/)]);
}, 120_000);
