import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createContainer, createRuntime, TYPES } from 'mlops-kit';
import { MemoryAlerter, MemoryLogger } from 'mlops-kit/testing';
import { MlflowTestServer } from '../../support/mlflow-server';
import { freePort } from '../../support/free-port';
import { runSync } from '../sync/sync-harness';

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
      config: { tracking: { uri: `http://127.0.0.1:${await freePort()}`, maxRetries: 0, timeoutSeconds: 2, experimentName: 'outage', spillDir } },
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

  it('a server run whose server dies right after it was created keeps its dataset, model and version in its mirror; sync brings them to the run', async () => {
    const spillDir = path.join(dir, 'spill-mid-job');
    const container = createContainer({
      config: { tracking: { uri: server.uri, maxRetries: 0, backoffFactor: 0.01, experimentName: 'mid-job', spillDir } },
      env: {},
      cwd: dir,
      overrides: { [TYPES.Logger]: new MemoryLogger(), [TYPES.Alerter]: new MemoryAlerter() },
    });
    const runtime = createRuntime(container);
    await runtime.start();
    await runtime.run({ KIND: 'ExampleJob' }); // services started while the server is up
    // from now on the server answers nothing but the next runs/create: the run exists there, then the server is gone
    server.failNext(100_000, { status: 503, match: (r) => !r.path.endsWith('runs/create') });
    const trained = await runtime.run({ KIND: 'TrainingJob', model: 'mid-job-model', epochs: 20, rows: 80 });
    await runtime.close();
    server.faults.clear();
    expect(server.store.runs.get(trained.runId)?.status).toBe('RUNNING'); // the server could not be told
    expect(trained.modelUri).toMatch(/^models:\/m-/);

    const synced = await runSync(spillDir, { to: server.uri });
    expect(synced.code).toBe(0);
    expect(synced.stdout).toContain('1 dataset inputs, 1 logged models sent');
    const run = server.store.runs.get(trained.runId)!;
    expect(run.status).toBe('FINISHED');
    const [version] = server.store.models.get('mid-job-model')!.versions;
    expect(version!.source).toMatch(/^models:\/m-[0-9a-f]{32}$/);
    expect(version!.source).not.toBe(trained.modelUri);
  }, 60_000);
});
