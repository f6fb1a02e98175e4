import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../support/cli';
import { startHostileServer, type HostileServer, type HostileShape } from '../../support/mlflow-server/hostile-servers';

/**
 * The CLI against a hostile server, as real child processes of the built CLI, with DEFAULT retry
 * settings: `run` with onUnavailable spill finishes spilled, with fail exits 1, and `sync` exits 1, each
 * within seconds (issue 10's bound is 10 s; 20 s here for a busy machine, while a minute-long retry fails).
 * The blackhole is the slowest shape to decide; `{}` once ended in `UNEXPECTED TypeError`.
 */
describe.each<HostileShape>(['blackhole', 'empty object'])('CLI against a %s server', (shape) => {
  let server: HostileServer;
  let dir: string;
  beforeEach(async () => {
    server = await startHostileServer(shape);
    dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-hostile-cli-'));
  });
  afterEach(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const config = async (onUnavailable: 'spill' | 'fail'): Promise<string> => {
    const file = path.join(dir, `${onUnavailable}.yaml`);
    await writeFile(file, `tracking:\n  uri: ${server.uri}\n  onUnavailable: ${onUnavailable}\nalerts:\n  enabled: false\njob:\n  KIND: ExampleJob\n  value: 3\n`);
    return file;
  };
  const timed = async (args: string[], env: Record<string, string> = {}) => {
    const began = Date.now();
    const result = await runCli(args, { cwd: dir, env });
    return { ...result, ms: Date.now() - began };
  };

  it('run, onUnavailable spill: exit 0, spilled, one warning naming the server, within seconds', async () => {
    const result = await timed(['run', await config('spill')]);
    expect(result.code).toBe(0);
    expect(result.ms).toBeLessThan(20_000);
    expect(result.stderr.split('\n').filter((l) => l.includes('spilled'))).toHaveLength(1);
    expect(result.stderr).toContain(server.uri);
    expect(result.stderr).not.toMatch(/UNEXPECTED|TypeError/);
  }, 40_000);

  it('run, onUnavailable fail: exit 1 with TRACKER_UNAVAILABLE naming the server, within seconds', async () => {
    const result = await timed(['run', await config('fail')]);
    expect(result.code).toBe(1);
    expect(result.ms).toBeLessThan(20_000);
    expect(result.stderr).toMatch(/TRACKER_UNAVAILABLE/);
    expect(result.stderr).toContain(server.uri);
    expect(result.stderr).not.toMatch(/UNEXPECTED|TypeError/);
  }, 40_000);

  it('sync to it: exit 1 within seconds, nothing half-sent', async () => {
    const store = path.join(dir, 'mlruns');
    const trained = await runCli(['run', path.resolve(__dirname, '../../../examples/example.yaml'), '--set', 'alerts.enabled=false'], { cwd: dir, env: { MLFLOW_TRACKING_URI: store } });
    expect(trained.code).toBe(0);
    const result = await timed(['sync', store, '--to', server.uri]);
    expect(result.code).toBe(1);
    expect(result.ms).toBeLessThan(20_000);
    expect(result.stderr).toMatch(/TRACKER_UNAVAILABLE/);
    expect(result.stderr).not.toMatch(/UNEXPECTED|TypeError/);
  }, 60_000);
});
