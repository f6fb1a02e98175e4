import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createContainer, createRuntime, ErrorCodes, MlopsError, TYPES } from 'mlops-kit';
import { MemoryAlerter, MemoryLogger } from 'mlops-kit/testing';
import { freePort } from '../../support/free-port';
import { MlflowTestServer } from '../../support/mlflow-server/mlflow-test-server';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-strict-start-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function runtimeFor(tracking: Record<string, unknown>) {
  const logger = new MemoryLogger();
  const spillDir = path.join(dir, `spill-${Math.random().toString(36).slice(2)}`);
  const container = createContainer({
    config: { tracking: { maxRetries: 0, timeoutSeconds: 2, spillDir, ...tracking } },
    overrides: { [TYPES.Logger]: logger, [TYPES.Alerter]: new MemoryAlerter() },
  });
  return { runtime: createRuntime(container), logger, spillDir };
}

async function codeOf(work: Promise<unknown>): Promise<string | undefined> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof MlopsError ? error.code : `resolved or untyped: ${String(error)}`;
}

describe('services named at boot must be reachable, whatever onUnavailable says', () => {
  it('rejects start() with TRACKER_UNAVAILABLE against a closed port under the default spill, spilling nothing; jobs after boot still spill', async () => {
    const { runtime, logger, spillDir } = runtimeFor({ uri: `http://127.0.0.1:${await freePort()}` });
    expect(await codeOf(runtime.start({ services: ['tracker', 'registry'] }))).toBe(ErrorCodes.TRACKER_UNAVAILABLE);
    expect(logger.messages('warn').filter((m) => m.includes('spill'))).toEqual([]);
    await expect(readdir(spillDir)).rejects.toThrow();

    // the lazy start used by jobs is unchanged: an outage after boot spills
    await runtime.start();
    const result = await runtime.run({ KIND: 'ExampleJob', metric: 'm', value: 1 });
    expect(result.runId).toBeTruthy();
    await runtime.close();
    expect(logger.messages('warn').join('\n')).toContain('mlops-kit sync');
  });

  it('rejects with TRACKER_UNAVAILABLE for the registry alone too', async () => {
    const { runtime } = runtimeFor({ uri: `http://127.0.0.1:${await freePort()}` });
    expect(await codeOf(runtime.start({ services: ['registry'] }))).toBe(ErrorCodes.TRACKER_UNAVAILABLE);
    await runtime.close();
  });

  describe('against a server that requires a login', () => {
    let server: MlflowTestServer;
    beforeAll(async () => {
      server = await MlflowTestServer.start({ auth: { basic: { username: 'ada', password: 'right-password' } } });
    });
    afterAll(async () => server.stop());

    it.each([['tracker'], ['registry']] as const)('rejects start({ services: [%s] }) with UNAUTHORIZED for a refused login, and never prints the password', async (service) => {
      const { runtime, logger } = runtimeFor({ uri: server.uri, username: 'ada', password: 'wrong-password' });
      const error = await runtime.start({ services: [service] }).catch((e: unknown) => e);
      expect((error as MlopsError).code).toBe(ErrorCodes.UNAUTHORIZED);
      expect(String((error as Error).message)).not.toContain('wrong-password');
      expect(logger.messages().join('\n')).not.toContain('wrong-password');
      await runtime.close();
    });

    it('starts with the right login', async () => {
      const { runtime } = runtimeFor({ uri: server.uri, username: 'ada', password: 'right-password' });
      await runtime.start({ services: ['tracker', 'registry'] });
      await runtime.close();
    });
  });
});
