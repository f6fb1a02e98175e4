import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli';

const EXAMPLE = path.resolve(__dirname, '../../examples/example.yaml');

describe('mlops-kit run (built CLI as a child process)', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-cli-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  const write = async (name: string, text: string) => {
    const file = path.join(dir, name);
    await writeFile(file, text);
    return file;
  };

  it('runs the example job on the local store with exit code 0 and prints the result', async () => {
    const store = path.join(dir, 'mlruns');
    const result = await runCli(['run', EXAMPLE, '--set', 'alerts.enabled=false'], { env: { MLFLOW_TRACKING_URI: store }, cwd: dir });
    expect(result.stderr).toContain('[START] logger');
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout.trim().split('\n').pop()!);
    expect(printed).toMatchObject({ kind: 'ExampleJob', metric: 'demo_metric', value: 1 });
    const metricFile = path.join(store, printed.experimentId, printed.runId, 'metrics', 'demo_metric');
    expect((await readFile(metricFile, 'utf8')).trim()).toMatch(/^\d+ 1\.0 0$/);
    // alerts off: the alert is a line of the log, not a bare "[app] …" line
    expect(result.stderr).toMatch(/INFO +\[alerts\] Example Job Finished: demo_metric=1/);
    expect(result.stderr).not.toContain('[mlops-kit] Example Job Finished');
  });

  it('with logging.format json and alerts off, the alert is one more JSON log line: one structured stream', async () => {
    const store = path.join(dir, 'mlruns-json');
    const result = await runCli(['run', EXAMPLE, '--set', 'alerts.enabled=false', '--set', 'logging.format=json'], { env: { MLFLOW_TRACKING_URI: store }, cwd: dir });
    expect(result.code).toBe(0);
    const lines = result.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines.filter((l) => !l.startsWith('{'))).toEqual([]);
    const alert = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.alert === true);
    expect(alert).toMatchObject({ level: 'info', source: 'alerts', title: 'Example Job Finished', app: 'mlops-kit' });
  });

  it('demo: trains, promotes to Champion and runs a branch experiment on the local store, then says how to browse it', async () => {
    const store = path.join(dir, 'demo-store');
    const result = await runCli(['demo', '--store', store], { cwd: dir });
    expect(result.code).toBe(0);
    const kinds = result.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l).kind);
    expect(kinds).toEqual(['TrainingJob', 'PromotionJob', 'ExperimentJob']);
    expect(await readFile(path.join(store, 'models', 'bike-demand', 'aliases', 'Champion'), 'utf8')).toBe('1');
    expect(result.stdout).toContain(`mlflow server --backend-store-uri ${store}`);
    expect(result.stdout).toContain(`mlops-kit sync ${store}`);
  });

  it('--dry-run composes everything and starts nothing', async () => {
    const store = path.join(dir, 'mlruns');
    const result = await runCli(['run', EXAMPLE, '--dry-run'], { env: { MLFLOW_TRACKING_URI: store }, cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('would execute ExampleJob');
    expect(existsSync(store)).toBe(false);
  });

  it('--print-config masks secrets and the secret never appears anywhere in the output', async () => {
    const secret = 'pa55-w0rd-very-secret';
    const file = await write('c.yaml', 'tracking:\n  uri: http://127.0.0.1:9\n  username: alice\n  password: ${MLFLOW_TRACKING_PASSWORD}\njob:\n  KIND: ExampleJob\n');
    const result = await runCli(['run', file, '--print-config'], { env: { MLFLOW_TRACKING_PASSWORD: secret }, cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/password: "?\*\*\*"?/);
    expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('a secret from the environment never appears in log output, even when the run fails', async () => {
    const secret = 'tok-abcdef-123456';
    const file = await write('c.yaml', 'tracking:\n  uri: http://127.0.0.1:9\n  token: ${MLFLOW_TRACKING_TOKEN}\n  maxRetries: 0\n  onUnavailable: fail\njob:\n  KIND: ExampleJob\n');
    const result = await runCli(['run', file, '--set', 'logging.level=debug'], { env: { MLFLOW_TRACKING_TOKEN: secret }, cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/TRACKER_UNAVAILABLE/);
    expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('server down with onUnavailable: spill (the default): the job succeeds, spills, and says how to send it', async () => {
    const secret = 'tok-abcdef-654321';
    const file = await write('c.yaml', 'tracking:\n  uri: http://user:${PW}@127.0.0.1:9\n  maxRetries: 0\nalerts:\n  enabled: false\njob:\n  KIND: ExampleJob\n  value: 7\n');
    const result = await runCli(['run', file], { env: { PW: secret }, cwd: dir });
    expect(result.code).toBe(0);
    const warnings = result.stderr.split('\n').filter((l) => l.includes('spilled'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`mlops-kit sync ${path.join(dir, 'mlruns-spill')} --to http://127.0.0.1:9`);
    const printed = JSON.parse(result.stdout.trim().split('\n').pop()!);
    const metric = path.join(dir, 'mlruns-spill', printed.experimentId, printed.runId, 'metrics', 'demo_metric');
    expect((await readFile(metric, 'utf8')).trim()).toMatch(/^\d+ 7\.0 0$/);
    expect(result.stdout + result.stderr).not.toContain(secret);
  });

  describe('bad input: one line naming what and where, exit code 2', () => {
    const expectUsageError = async (args: string[], pattern: RegExp, env: Record<string, string> = {}) => {
      const result = await runCli(args, { env, cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(pattern);
      return result;
    };

    it('missing variable names the variable, the file and the key path', async () => {
      const file = await write('missing.yaml', 'tracking:\n  uri: ${NOT_SET_ANYWHERE}\njob:\n  KIND: ExampleJob\n');
      const result = await expectUsageError(['run', file], /CONFIG_MISSING_ENV/);
      expect(result.stderr).toContain('NOT_SET_ANYWHERE');
      expect(result.stderr).toContain('missing.yaml');
      expect(result.stderr).toContain('tracking.uri');
    });

    it('YAML syntax error names the file and the line', async () => {
      const file = await write('broken.yaml', 'job:\n  KIND: ExampleJob\n  value: [1, 2\n');
      const result = await expectUsageError(['run', file], /CONFIG_PARSE/);
      expect(result.stderr).toContain('broken.yaml');
      expect(result.stderr).toMatch(/broken\.yaml:\d+:\d+/);
    });

    it('wrong type names the key path and the file', async () => {
      const file = await write('types.yaml', 'job:\n  KIND: PromotionJob\n  model: m\n  version: three\n');
      const result = await expectUsageError(['run', file], /CONFIG_INVALID/);
      expect(result.stderr).toContain('job.version');
      expect(result.stderr).toContain('types.yaml');
    });

    it('unknown KIND lists the valid kinds', async () => {
      const file = await write('kind.yaml', 'job:\n  KIND: TeleportJob\n');
      const result = await expectUsageError(['run', file], /CONFIG_UNKNOWN_KIND/);
      expect(result.stderr).toContain('PromotionJob');
      expect(result.stderr).toContain('TrainingJob');
    });

    it('unknown key is rejected', async () => {
      const file = await write('keys.yaml', 'job:\n  KIND: ExampleJob\n  valeu: 3\n');
      const result = await expectUsageError(['run', file], /CONFIG_INVALID/);
      expect(result.stderr).toContain('valeu');
    });

    it('missing config file', async () => {
      await expectUsageError(['run', path.join(dir, 'nope.yaml')], /CONFIG_FILE_NOT_FOUND.*nope\.yaml/);
    });

    it('malformed --set', async () => {
      await expectUsageError(['run', EXAMPLE, '--set', 'job.value'], /CONFIG_BAD_OVERRIDE.*job\.value/);
    });

    it('unknown option and unknown profile', async () => {
      await expectUsageError(['run', EXAMPLE, '--frobnicate'], /unknown option '--frobnicate'/);
      await expectUsageError(['run', EXAMPLE, '--profile', 'staging'], /unknown profile "staging"/);
    });

    it('no file argument', async () => {
      await expectUsageError(['run'], /missing required argument 'files'/);
    });

    it('unsupported tracking URI scheme', async () => {
      await expectUsageError(['run', EXAMPLE, '--set', 'tracking.uri=databricks://x'], /tracking\.uri: unsupported tracking URI scheme/);
    });
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s stops the services, marks the open run KILLED and exits %i', async (signal, exitCode) => {
    const store = path.join(dir, 'mlruns');
    const file = await write('hold.yaml', `tracking:\n  uri: ${store}\nalerts:\n  enabled: false\njob:\n  KIND: ExampleJob\n  holdMs: 60000\n`);
    const result = await runCli(['run', file], {
      cwd: dir,
      onSpawn: (child) => {
        // wait until the run is open, then send SIGTERM
        const poll = setInterval(() => {
          void findRunMetas(store).then((metas) => {
            if (metas.length > 0) { clearInterval(poll); child.kill(signal); }
          });
        }, 50);
      },
    });
    expect(result.code).toBe(exitCode);
    expect(result.stderr).toContain(`received ${signal}`);
    const metas = await findRunMetas(store);
    expect(metas).toHaveLength(1);
    expect(await readFile(metas[0]!, 'utf8')).toMatch(/status: 5/); // KILLED
  });
});

async function findRunMetas(store: string): Promise<string[]> {
  if (!existsSync(store)) return [];
  const found: string[] = [];
  for (const exp of await readdir(store)) {
    const expDir = path.join(store, exp);
    for (const entry of await readdir(expDir).catch(() => [] as string[])) {
      const meta = path.join(expDir, entry, 'meta.yaml');
      if (/^[0-9a-f]{32}$/.test(entry) && existsSync(meta)) found.push(meta);
    }
  }
  return found;
}
