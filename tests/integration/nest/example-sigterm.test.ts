import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildSync } from 'esbuild';

const root = path.resolve(__dirname, '../../..');
const exampleDir = path.join(root, 'examples/nest');
const DEADLINE_MS = 1_000;
const GRACE_MS = 3_000; // the example's

/**
 * Issue #18's trap, as a pod meets it: examples/nest/main.ts as a real process (built by esbuild, which
 * emits no decorator metadata: the module injects by token and needs none), 30 long trainings in flight
 * over HTTP, then SIGTERM. The runtime closes in beforeApplicationShutdown, before Nest waits for those
 * requests, so the process is gone within the deadline plus grace, not when the trainings would end.
 */
it('SIGTERM with 30 long jobs in flight: every request answered 499 JOB_INTERRUPTED, the process gone within deadline + grace', async () => {
  const main = path.join(exampleDir, '.build/main.js');
  buildSync({ entryPoints: [path.join(exampleDir, 'main.ts')], bundle: true, platform: 'node', format: 'cjs', packages: 'external', outfile: main, logLevel: 'error' });
  const child = spawn(process.execPath, [main], {
    cwd: exampleDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', MLOPS_CONFIG: 'mlops.yaml', MLFLOW_TRACKING_URI: 'memory:', SHUTDOWN_DEADLINE_MS: String(DEADLINE_MS), NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        const match = /listening on (http:\/\/\S+)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      void exited.then(() => reject(new Error(`the example exited before listening: ${stderr}`)));
    });
    // trainings far longer than the deadline: 100 000 epochs over 20 000 rows each
    const answers = Array.from({ length: 30 }, (_, seed) =>
      fetch(`${url}/train`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'churn', rows: 20_000, epochs: 100_000, seed }) }).then(
        async (r) => ({ status: r.status, body: (await r.json()) as { code?: string } }),
      ),
    );
    // hang bound, not a timing assertion: wait until the 30 jobs run (the health check reports them)
    let running = 0;
    for (let i = 0; i < 300 && running < 30; i++) {
      const health = (await fetch(`${url}/health`).then((r) => r.json())) as { info?: { mlops?: { runningJobs: number } } };
      running = health.info?.mlops?.runningJobs ?? 0;
      if (running < 30) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(running).toBe(30);

    const signalled = Date.now();
    child.kill('SIGTERM');
    const settled = await Promise.all(answers);
    const exit = await exited;
    const elapsed = Date.now() - signalled;

    expect(settled.map((a) => [a.status, a.body.code])).toEqual(Array(30).fill([499, 'JOB_INTERRUPTED']));
    // Nest re-raises the signal once its hooks have run: the exit a supervisor expects from SIGTERM
    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
    // generous slack for a loaded machine; without the module's hook ordering this would be the trainings' length
    expect(elapsed).toBeLessThan(DEADLINE_MS + GRACE_MS + 5_000);
    // a planned shutdown's lines went through Nest's logger, the runtime's own under its context
    expect(stdout).toMatch(/\[mlops-kit:runtime\] Closing: 30 job\(s\) still running after 1000 ms; interrupting them/);
  } finally {
    child.kill('SIGKILL');
  }
}, 120_000);
