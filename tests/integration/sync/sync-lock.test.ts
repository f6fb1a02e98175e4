import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SYNC_LOCK_FILE } from '../../../src/infrastructure/sync';
import { LocalTracker } from '../../../src/infrastructure/tracking/local';
import { runCli } from '../../support/cli';
import { MlflowTestServer } from '../../support/mlflow-server';
import { FAST_ENV, runSync } from './sync-harness';

const RUNS = 4;
const STEPS = 30;

/** RUNS finished runs with STEPS loss values each. */
async function buildStore(base: string): Promise<string> {
  const root = path.join(base, 'mlruns');
  const tracker = new LocalTracker({ root, experimentName: 'locked', userId: 'ana' });
  await tracker.start();
  for (let i = 0; i < RUNS; i++) {
    const run = await tracker.createRun({ runName: `run-${i}`, startTime: 1700000000000 + i });
    for (let step = 0; step < STEPS; step++) await tracker.logMetric(run.runId, 'loss', 1 / (step + 1), { step, timestamp: 1700000001000 + step });
    await tracker.endRun(run.runId, 'FINISHED', 1700000002000);
  }
  await tracker.stop();
  return root;
}

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('sync: one writer per store', () => {
  let server: MlflowTestServer;
  let base: string;
  let root: string;
  beforeEach(async () => {
    server = await MlflowTestServer.start();
    base = await mkdtemp(path.join(os.tmpdir(), 'sync-lock-'));
    root = await buildStore(base);
  });
  afterEach(async () => {
    await server.stop();
    await rm(base, { recursive: true, force: true });
  });

  const metricsOnServer = (): number => [...server.store.runs.values()].reduce((n, r) => n + r.metrics.length, 0);

  it('two syncs of one store at once: one syncs, the other stops before writing with one line naming the first', async () => {
    const [a, b] = await Promise.all([runSync(root, { to: server.uri }), runSync(root, { to: server.uri })]);
    const results = [a, b].sort((x, y) => x.code - y.code);
    expect(results.map((r) => r.code)).toEqual([0, 1]);
    expect(results[1]!.errorLine).toMatch(/^mlops-kit: CONFLICT: sync: another sync of .* is running \(pid \d+ on .*\); wait for it to finish/);
    expect(results[1]!.errorLine).not.toContain('\n');
    expect(server.store.runs.size).toBe(RUNS);
    expect(metricsOnServer()).toBe(RUNS * STEPS);
    expect(existsSync(path.join(root, SYNC_LOCK_FILE))).toBe(false); // released
  });

  it('two CLI processes syncing one store at once make each run once', async () => {
    // slow creates keep the first sync busy while the second starts
    server.slowNext(RUNS, 150, 'runs/create');
    const [a, b] = await Promise.all([runCli(['sync', root, '--to', server.uri], { env: FAST_ENV, cwd: base }), runCli(['sync', root, '--to', server.uri], { env: FAST_ENV, cwd: base })]);
    const results = [a, b].sort((x, y) => (x.code ?? 99) - (y.code ?? 99));
    expect(results.map((r) => r.code)).toEqual([0, 1]);
    expect(results[1]!.stderr.trim().split('\n')).toHaveLength(1);
    expect(results[1]!.stderr).toContain('another sync of');
    expect(server.store.runs.size).toBe(RUNS);
    expect(metricsOnServer()).toBe(RUNS * STEPS);
  });

  it('a lock left by a process that died (kill -9) is taken over', async () => {
    const pid = deadPid();
    await writeFile(path.join(root, SYNC_LOCK_FILE), JSON.stringify({ pid, host: os.hostname(), since: '2026-01-01T00:00:00.000Z', token: 'old' }));
    const result = await runSync(root, { to: server.uri });
    expect(result.error).toBeUndefined();
    expect(server.store.runs.size).toBe(RUNS);
    expect((await readdir(root)).filter((name) => name.startsWith(SYNC_LOCK_FILE))).toEqual([]);
  });

  it('a lock held on another host is respected, and the message says which file to delete', async () => {
    const file = path.join(root, SYNC_LOCK_FILE);
    await writeFile(file, JSON.stringify({ pid: 1, host: 'build-agent-7', since: '2026-01-01T00:00:00.000Z', token: 't' }));
    const result = await runSync(root, { to: server.uri });
    expect(result.code).toBe(1);
    expect(result.errorLine).toContain('pid 1 on build-agent-7');
    expect(result.errorLine).toContain(`delete ${file}`);
    expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(existsSync(file)).toBe(true);
  });

  it('a sync that failed releases the lock, so the next one runs', async () => {
    server.failFor(60_000, { status: 503 });
    const failed = await runSync(root, { to: server.uri });
    expect(failed.code).toBe(1);
    server.faults.clear();
    const next = await runSync(root, { to: server.uri });
    expect(next.error).toBeUndefined();
    expect(server.store.runs.size).toBe(RUNS);
  });

  it('a dry run takes no lock: it runs beside a sync holding one', async () => {
    await writeFile(path.join(root, SYNC_LOCK_FILE), JSON.stringify({ pid: process.pid, host: os.hostname(), since: '2026-01-01T00:00:00.000Z', token: 't' }));
    const dry = await runSync(root, { to: server.uri, dryRun: true });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`runs         ${RUNS} would be created`);
  });
});
