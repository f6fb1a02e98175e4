import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createContainer, createRuntime, TYPES, type RuntimeHealth } from 'mlops-kit';
import { createTestContainer, MemoryAlerter, MemoryLogger } from 'mlops-kit/testing';
import { freePort } from '../../support/free-port';
import { MlflowTestServer } from '../../support/mlflow-server/mlflow-test-server';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-health-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function runtimeFor(tracking: Record<string, unknown>) {
  const container = createContainer({
    config: { tracking: { maxRetries: 0, timeoutSeconds: 2, spillDir: path.join(dir, `spill-${Math.random().toString(36).slice(2)}`), ...tracking } },
    overrides: { [TYPES.Logger]: new MemoryLogger(), [TYPES.Alerter]: new MemoryAlerter() },
  });
  return createRuntime(container);
}

describe('runtime.health()', () => {
  it('memory: not ok before start (it takes no jobs), ok after; services say whether the runtime started them', async () => {
    const runtime = createRuntime(createTestContainer());
    const before = await runtime.health();
    expect(before).toEqual({
      ok: false,
      runningJobs: 0,
      services: { tracker: { ok: true, started: false, backend: 'memory' }, registry: { ok: true, started: false, backend: 'memory' } },
      predictors: [],
    });
    await runtime.start();
    const job = runtime.run({ KIND: 'ExampleJob', holdMs: 300 });
    await new Promise((r) => setTimeout(r, 100));
    const during = await runtime.health();
    expect(during).toMatchObject({ ok: true, runningJobs: 1, services: { tracker: { ok: true, started: true }, registry: { started: false } } });
    await job;
    await runtime.close();
    expect((await runtime.health()).ok).toBe(false);
  });

  it('local store: ok when its directory can be written; not ok (and why) when it sits under a file', async () => {
    const good = runtimeFor({ uri: path.join(dir, 'mlruns') });
    await good.start();
    expect(await good.health()).toMatchObject({ ok: true, services: { tracker: { ok: true, backend: 'local' }, registry: { ok: true, backend: 'local' } } });
    await good.close();

    await writeFile(path.join(dir, 'a-file'), 'x');
    const bad = runtimeFor({ uri: path.join(dir, 'a-file', 'mlruns') });
    await bad.start();
    const health = await bad.health();
    expect(health.ok).toBe(false);
    expect(health.services.tracker).toMatchObject({ ok: false, backend: 'local', detail: expect.stringMatching(/a-file is not a directory$/) });
    await bad.close();
  });

  describe.each([3, 2] as const)('MLflow %i.x server', (version) => {
    let server: MlflowTestServer;
    beforeAll(async () => {
      server = await MlflowTestServer.start({ flavour: { version } });
    });
    afterAll(async () => server.stop());

    it(`reports the server reachable, its generation ${version}.x, nothing spilling`, async () => {
      const runtime = runtimeFor({ uri: server.uri });
      await runtime.start({ services: ['tracker', 'registry'] });
      const health = await runtime.health();
      const expected = { ok: true, started: true, backend: 'mlflow', serverVersion: `${version}.x`, spilling: false, pendingSync: 0 };
      expect(health).toMatchObject({ ok: true, services: { tracker: expected, registry: expected } });
      expect(JSON.stringify(health)).not.toMatch(/password/i);
      await runtime.close();
    });
  });

  it('MLflow down after boot, default spill: services not ok but spilling, with what waits for sync; the runtime still takes jobs', async () => {
    const server = await MlflowTestServer.start();
    const runtime = runtimeFor({ uri: server.uri });
    await runtime.start({ services: ['tracker', 'registry'] });
    await server.stop();
    await runtime.run({ KIND: 'TrainingJob', model: 'spilled', epochs: 2, rows: 20 });
    const health = await runtime.health();
    expect(health.ok).toBe(true);
    expect(health.services.tracker).toMatchObject({ ok: false, started: true, backend: 'mlflow', spilling: true, pendingSync: 1 });
    expect(health.services.registry).toMatchObject({ ok: false, spilling: true });
    expect(health.services.registry!.pendingSync).toBeGreaterThanOrEqual(1);
    expect(health.services.tracker!.detail).toContain(server.uri);
    await runtime.close();
  });

  it('onUnavailable: fail and a dead server: not ok, not spilling, and the runtime is not ok', async () => {
    const runtime = runtimeFor({ uri: `http://127.0.0.1:${await freePort()}`, onUnavailable: 'fail' });
    await runtime.start();
    const health: RuntimeHealth = await runtime.health();
    expect(health.ok).toBe(false);
    expect(health.services.tracker).toMatchObject({ ok: false, started: false, backend: 'mlflow' });
    expect(health.services.tracker!.spilling).toBeUndefined();
    await runtime.close();
  });

  it('a refused login is not ok and not spilling (writes fail rather than spill)', async () => {
    const server = await MlflowTestServer.start({ auth: { bearer: 'right-token' } });
    try {
      const runtime = runtimeFor({ uri: server.uri, token: 'wrong-token' });
      await runtime.start();
      const health = await runtime.health();
      expect(health.ok).toBe(false);
      expect(health.services.tracker).toMatchObject({ ok: false, spilling: false });
      expect(JSON.stringify(health)).not.toContain('wrong-token');
      await runtime.close();
    } finally {
      await server.stop();
    }
  });

  it('answers within its bound when the server hangs', async () => {
    const server = await MlflowTestServer.start();
    try {
      const runtime = runtimeFor({ uri: server.uri });
      await runtime.start();
      server.slowNext(1, 1_500);
      const started = Date.now();
      const health = await runtime.health({ timeoutMs: 300 });
      expect(Date.now() - started).toBeLessThan(10_000); // generous hang bound
      expect(health.services.tracker).toMatchObject({ ok: false, detail: 'no health answer within 300 ms' });
      expect(health.ok).toBe(false);
      await runtime.close();
      // the held answers still go out (the fake server's delay timers): let them, so nothing outlives the test
      await new Promise((resolve) => setTimeout(resolve, 1_600));
    } finally {
      await server.stop();
    }
  });
});
