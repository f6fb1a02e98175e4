import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createContainer, createRuntime, TYPES } from 'mlops-kit';
import { MemoryAlerter, MemoryLogger } from 'mlops-kit/testing';
import { MlflowTestServer } from '../../support/mlflow-server';
import { runSync } from '../sync/sync-harness';

/** A port nothing listens on: bound, then released. */
async function deadPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * A TrainingJob against a server that is down from the start (`onUnavailable: spill`): the run, its
 * dataset input, its logged model and the registered version all land in the spill store, in MLflow 3's
 * layout; `sync` to a live server then carries the model and registers the version from its new URI.
 */
describe('a model trained while the server is down', () => {
  let dir: string;
  let server: MlflowTestServer;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'spill-models-'));
    server = await MlflowTestServer.start();
  });
  afterAll(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('is logged, registered and later synced with its lineage', async () => {
    const spillDir = path.join(dir, 'spill');
    const logger = new MemoryLogger();
    const container = createContainer({
      config: { tracking: { uri: `http://127.0.0.1:${await deadPort()}`, maxRetries: 0, timeoutSeconds: 2, experimentName: 'outage', spillDir } },
      env: {},
      cwd: dir,
      overrides: { [TYPES.Logger]: logger, [TYPES.Alerter]: new MemoryAlerter() },
    });
    const runtime = createRuntime(container);
    await runtime.start();
    const trained = await runtime.run({ KIND: 'TrainingJob', model: 'outage-model', epochs: 20, rows: 80 });
    await runtime.close();
    expect(trained.modelUri).toMatch(/^models:\/m-[0-9a-f]{32}$/);
    expect(logger.messages('warn').join('\n')).toMatch(/mlops-kit sync/);

    const synced = await runSync(spillDir, { to: server.uri });
    expect(synced.code).toBe(0);
    expect(synced.stdout).toContain('1 logged models sent');
    const [version] = server.store.models.get('outage-model')!.versions;
    expect(version!.source).toMatch(/^models:\/m-[0-9a-f]{32}$/);
    expect(version!.source).not.toBe(trained.modelUri);
  }, 60_000);
});
