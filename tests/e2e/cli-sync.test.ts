import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli';
import { MlflowTestServer } from '../support/mlflow-server';

const TRAINING = path.resolve(__dirname, '../../examples/training.yaml');

describe('mlops-kit sync (built CLI as a child process)', () => {
  let dir: string;
  let server: MlflowTestServer;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-cli-sync-'));
    server = await MlflowTestServer.start();
  });
  afterAll(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('trains on the local store, then replays it into a server once; a second sync adds nothing', async () => {
    const store = path.join(dir, 'mlruns');
    const trained = await runCli(['run', TRAINING, '--set', `tracking.uri=${store}`, '--set', 'job.epochs=20'], { cwd: dir });
    expect(trained.code).toBe(0);
    const { runId } = JSON.parse(trained.stdout.trim().split('\n').pop()!);

    const first = await runCli(['sync', store, '--to', server.uri], { cwd: dir });
    expect(first.code).toBe(0);
    const synced = [...server.store.runs.values()].filter((r) => r.tags.get('mlops-kit.sync.origin_run_id') === runId);
    expect(synced).toHaveLength(1);
    expect(synced[0]!.metrics.filter((m) => m.key === 'loss')).toHaveLength(20);
    expect(server.store.models.get('bike-demand')!.versions).toHaveLength(1);

    const writesBefore = server.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('runs/search') && !r.path.endsWith('logged-models/search')).length;
    const second = await runCli(['sync', store, '--to', server.uri], { cwd: dir });
    expect(second.code).toBe(0);
    const writesAfter = server.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('runs/search') && !r.path.endsWith('logged-models/search')).length;
    expect(writesAfter).toBe(writesBefore);
    expect(server.store.models.get('bike-demand')!.versions).toHaveLength(1);
  });

  it('a missing store or a bad target URI is a usage error (exit 2) that sends nothing', async () => {
    const before = server.requests.length;
    const missing = await runCli(['sync', path.join(dir, 'nope'), '--to', server.uri], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope');
    const badScheme = await runCli(['sync', dir, '--to', 'ftp://user:hunter22@host'], { cwd: dir });
    expect(badScheme.code).toBe(2);
    expect(badScheme.stderr).not.toContain('hunter22');
    expect(server.requests.length).toBe(before);
  });
});
