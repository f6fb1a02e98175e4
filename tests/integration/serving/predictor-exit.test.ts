import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TS_REQUIRE_HOOK } from '../../support/ts-require-hook';

/**
 * A service that serves a predictor still exits when its work is done: the alias check runs on an
 * unref'd timer, and runtime.close() stops it and releases the model. Proved with a real process, which
 * would hang (and fail this test at its bound) if anything kept the event loop alive.
 */
const SRC = path.resolve(__dirname, '../../../src');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-predictor-exit-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const script = (close: boolean) => `${TS_REQUIRE_HOOK}
const { createContainer, createRuntime, TYPES } = require(${JSON.stringify(path.join(SRC, 'index.ts'))});
const { MemoryAlerter } = require(${JSON.stringify(path.join(SRC, 'entries/testing.ts'))});
(async () => {
  const container = createContainer({ config: { tracking: { uri: 'memory:' }, logging: { level: 'error' } }, overrides: { [TYPES.Alerter]: new MemoryAlerter() } });
  const runtime = createRuntime(container);
  await runtime.start();
  const trained = await runtime.run({ KIND: 'TrainingJob', model: 'bikes', epochs: 5, rows: 60 });
  await container.get(TYPES.ModelRegistry).setAlias('bikes', 'Champion', trained.version);
  const predictor = runtime.predictor('models:/bikes@Champion', { refreshMs: 10 });
  const row = { hour: 8, temperature: 14.5, humidity: 0.6, windspeed: 10, workingday: 1, holiday: 0, rush_hour: 1 };
  const { version } = await predictor.predict([row]);
  ${close ? 'await runtime.close();' : ''}
  console.log('served version ' + version);
})().catch((error) => { console.error(error); process.exitCode = 1; });
`;

function runNode(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const bound = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the process did not exit on its own:\n${stdout}\n${stderr}`));
    }, 25_000);
    child.on('exit', (code) => {
      clearTimeout(bound);
      resolve({ code, stdout, stderr });
    });
  });
}

it.each([
  ['after runtime.close()', true],
  ['with the predictor still open (its timer never holds the process)', false],
])('a process serving a predictor exits %s', async (_when, close) => {
  const file = path.join(dir, `serve-${close ? 'close' : 'open'}.js`);
  await writeFile(file, script(close), 'utf8');
  const { code, stdout, stderr } = await runNode(file);
  expect(stderr).toBe('');
  expect(stdout.trim()).toBe('served version 1');
  expect(code).toBe(0);
}, 30_000);
