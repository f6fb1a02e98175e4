import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli, runExecutable, type CliResult } from '../support/cli';

/**
 * Issue #11, "Bad input refused late, in many lines, or not at all" and "Files": every case runs the built
 * CLI as a child process and expects ONE line on stderr naming the file (or --set) and the key path,
 * exit code 2, and nothing started (no store created, no run logged).
 */
function expectRefused(result: CliResult, pattern: RegExp): void {
  const lines = result.stderr.trim().split('\n');
  expect({ code: result.code, lines: lines.length }).toEqual({ code: 2, lines: 1 });
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toContain('[START]');
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('mlops-kit refuses bad input up front: one line, file and key path, exit 2 (issue #11)', () => {
  let dir: string;
  let store: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-bad-input-'));
    store = path.join(dir, 'mlruns');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const write = async (name: string, text: string): Promise<string> => {
    const file = path.join(dir, name);
    await writeFile(file, text);
    return file;
  };
  /** A config on the local store in `dir`, so "nothing started" can be checked as "no store directory". */
  const local = (job: string, extra = ''): string => `job: ${job}\nalerts: {enabled: false}\ntracking:\n  uri: ${store}\n${extra}`;
  const run = async (name: string, text: string, args: string[] = []): Promise<CliResult> => {
    const result = await runCli(['run', await write(name, text), ...args], { cwd: dir });
    return result;
  };

  describe('model names by MLflow rules and byte length, before training', () => {
    it.each([['.'], ['..'], ['a\\\\b'], ['a\\u0000b'], ['50%']])('model %s', async (name) => {
      const result = await run('m.yaml', local(`{KIND: TrainingJob, model: "${name}", rows: 50, epochs: 5}`));
      expectRefused(result, /INVALID_MODEL_NAME|CONFIG_INVALID: .*m\.yaml: job\.model: Invalid registered model name/);
      expect(existsSync(store)).toBe(false);
    });

    it('a 10k-character name is refused by byte length and never echoed whole', async () => {
      const result = await run('m.yaml', local(`{KIND: TrainingJob, model: "${'n'.repeat(10_000)}"}`));
      expectRefused(result, /m\.yaml: job\.model: .*\(10000 characters\).*at most 255 bytes/);
      expect(result.stderr.length).toBeLessThan(600);
    });

    it('a 200-character name of 2-byte letters is over 255 bytes', async () => {
      const result = await run('m.yaml', local(`{KIND: TrainingJob, model: "${'é'.repeat(200)}"}`));
      expectRefused(result, /job\.model: .*at most 255 bytes in UTF-8, this one is 400/);
    });
  });

  it('an experiment name over 500 characters', async () => {
    const result = await run('e.yaml', local('{KIND: ExampleJob}', `  experimentName: "${'x'.repeat(10_000)}"\n`));
    expectRefused(result, /e\.yaml: tracking\.experimentName: .*at most 500 characters/);
    expect(result.stderr.length).toBeLessThan(600);
  });

  it('a missing job.dataPath file, before any experiment is created', async () => {
    const result = await run('d.yaml', local('{KIND: TrainingJob, dataPath: data/missing.csv}'));
    expectRefused(result, /CONFIG_BAD_PATH: .*d\.yaml: job\.dataPath: file "data\/missing\.csv" not found/);
    expect(existsSync(store)).toBe(false);
  });

  it('a missing job.inputPath file', async () => {
    const result = await run('i.yaml', local('{KIND: InferenceJob, modelUri: "models:/m/1", inputPath: nope.csv, outputPath: out.csv}'));
    expectRefused(result, /i\.yaml: job\.inputPath: file "nope\.csv" not found/);
  });

  it('logging.sink that is a directory', async () => {
    await mkdir(path.join(dir, 'logs'));
    const result = await run('s.yaml', local('{KIND: ExampleJob}', ''), []);
    expect(result.code).toBe(0); // the same config without the sink runs
    const refused = await run('s.yaml', `${local('{KIND: ExampleJob}')}logging: {sink: logs}\n`);
    expectRefused(refused, /CONFIG_BAD_PATH: .*s\.yaml: logging\.sink: "logs" is a directory/);
  });

  it.each([
    ['http://[::1', /tracking\.uri: "http:\/\/\[::1" is not a valid URL/],
    ['http://127.0.0.1:99999', /tracking\.uri: "http:\/\/127\.0\.0\.1:99999" is not a valid URL/],
  ])('tracking.uri %s fails --dry-run already', async (uri, pattern) => {
    const result = await run('u.yaml', `job: {KIND: ExampleJob}\ntracking: {uri: "${uri}"}\n`, ['--dry-run']);
    expectRefused(result, pattern);
    expect(result.stdout).not.toContain('would execute');
  });

  it('a registryUri problem is blamed on tracking.registryUri, with the file', async () => {
    const result = await run('r.yaml', `job: {KIND: ExampleJob}\ntracking: {uri: "memory:", registryUri: "ftp://models"}\n`, ['--dry-run']);
    expectRefused(result, /r\.yaml: tracking\.registryUri: unsupported tracking URI scheme "ftp:"/);
  });

  describe('config size and shape', () => {
    it('JSON nested 5,000 deep', async () => {
      const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
      const result = await run('deep.json', `{"job": {"KIND": "ExampleJob"}, "x": ${deep}}`);
      expectRefused(result, /CONFIG_TOO_LARGE: .*deep\.json: config nests .* more than 64 levels/);
    });

    it('YAML nested 5,000 deep', async () => {
      const result = await run('deep.yaml', `job: {KIND: ExampleJob}\nx: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
      expectRefused(result, /CONFIG_TOO_LARGE: .*deep\.yaml/);
    });

    it('a config file over 1 MiB is refused before it is parsed', async () => {
      const result = await run('big.yaml', `job: {KIND: ExampleJob}\n${'# padding\n'.repeat(120_000)}`);
      expectRefused(result, /CONFIG_TOO_LARGE: .*big\.yaml: config file is \d+ bytes; the limit is 1048576/);
    });

    it('JSON duplicate keys are refused like YAML duplicate keys', async () => {
      const result = await run('dup.json', '{"job": {"KIND": "ExampleJob", "value": 1, "value": 2}}');
      expectRefused(result, /CONFIG_PARSE: .*dup\.json:1:\d+: job\.value: duplicate key/);
    });
  });

  describe('--env-file', () => {
    it('missing: our one line and exit 2, not Node\'s own message and exit 9', async () => {
      await write('c.yaml', 'job: {KIND: ExampleJob}\ntracking: {uri: "memory:"}\n');
      const result = await runExecutable(['run', 'c.yaml', '--env-file', 'missing.env'], { cwd: dir });
      expectRefused(result, /^mlops-kit: CONFIG_FILE_NOT_FOUND: missing\.env: env file not found/);
    });

    it('a directory', async () => {
      await write('c.yaml', 'job: {KIND: ExampleJob}\ntracking: {uri: "memory:"}\n');
      await mkdir(path.join(dir, 'conf.env'));
      const result = await runExecutable(['run', 'c.yaml', '--env-file', 'conf.env'], { cwd: dir });
      expectRefused(result, /^mlops-kit: CONFIG_INVALID: conf\.env: is a directory, not an env file/);
    });

    it('sync: missing', async () => {
      const result = await runExecutable(['sync', 'mlruns', '--to', 'http://127.0.0.1:9', '--env-file', 'missing.env'], { cwd: dir });
      expectRefused(result, /missing\.env: env file not found/);
    });
  });

  it('--set job.epochs.x=5 is blamed on --set, not on the file', async () => {
    const result = await run('t.yaml', local('{KIND: TrainingJob, epochs: 3}'), ['--set', 'job.epochs.x=5']);
    expectRefused(result, /CONFIG_INVALID: --set: job\.epochs: expected a whole number|--set: job\.epochs: expected a number/);
  });

  it('control characters in an unknown key are escaped, never sent to the terminal raw', async () => {
    const result = await run('k.yaml', local('{KIND: ExampleJob, "bad\u001b[2Jkey": 1}'));
    expectRefused(result, /k\.yaml: job\."bad\\u001b\[2Jkey": unknown key/);
    expect(result.stderr).not.toContain('\u001b');
  });

  it.each([
    ['rows', 1e9, 'TrainingJob', /job\.rows: must be at most 1,000,000/],
    ['epochs', 1e9, 'TrainingJob', /job\.epochs: must be at most 100,000/],
    ['concurrency', 1e9, 'ExperimentJob, name: x, grid: {l2: [0]}', /job\.concurrency: must be at most 64/],
  ])('%s: %d is over the documented bound', async (field, value, kind, pattern) => {
    const result = await run('b.yaml', local(`{KIND: ${kind}, ${field}: ${value}}`));
    expectRefused(result, pattern);
  });

  describe('files', () => {
    beforeEach(async () => {
      await write('in.csv', 'temp,hour\n1,2\n');
    });

    it('InferenceJob outputPath equal to inputPath (through a symlink) is refused and the input is untouched', async () => {
      await symlink(path.join(dir, 'in.csv'), path.join(dir, 'link.csv'));
      const result = await run('i.yaml', local('{KIND: InferenceJob, modelUri: "models:/m/1", inputPath: in.csv, outputPath: ./link.csv}'));
      expectRefused(result, /CONFIG_BAD_PATH: .*i\.yaml: job\.outputPath: "\.\/link\.csv" is the input file/);
      expect(await readFile(path.join(dir, 'in.csv'), 'utf8')).toBe('temp,hour\n1,2\n');
    });

    it('InferenceJob outputPath that is a directory', async () => {
      await mkdir(path.join(dir, 'out'));
      const result = await run('i.yaml', local('{KIND: InferenceJob, modelUri: "models:/m/1", inputPath: in.csv, outputPath: out}'));
      expectRefused(result, /job\.outputPath: "out" is a directory/);
    });

    it.each([
      ['logging.sink', 'logging: {sink: /proc/self/mlops/run.log}\n', /logging\.sink: "\/proc\/self\/mlops\/run\.log" is under \/proc/],
      ['tracking.uri', '', /tracking\.uri: "\/proc\/self\/mlruns" is under \/proc/],
      ['tracking.spillDir', '', /tracking\.spillDir: "\/sys\/mlops-spill" is under \/sys/],
    ])('%s under /proc or /sys is refused at config time, never a hang', async (key, extra, pattern) => {
      const tracking =
        key === 'tracking.uri' ? 'tracking: {uri: /proc/self/mlruns}\n' : key === 'tracking.spillDir' ? 'tracking: {uri: "http://127.0.0.1:9", spillDir: /sys/mlops-spill}\n' : 'tracking: {uri: "memory:"}\n';
      const result = await run('p.yaml', `job: {KIND: ExampleJob}\nalerts: {enabled: false}\n${tracking}${extra}`);
      expectRefused(result, pattern);
    }, 15_000);
  });

  it('an expected job failure (model not found) is one log line without stacks; MLOPS_KIT_DEBUG=1 shows them', async () => {
    await write('in.csv', 'temp,hour\n1,2\n');
    const file = await write('nf.yaml', local('{KIND: InferenceJob, modelUri: "models:/missing/1", inputPath: in.csv, outputPath: out.csv}'));
    const result = await runCli(['run', file], { cwd: dir });
    expect(result.code).toBe(1);
    const errors = result.stderr.split('\n').filter((line) => / ERROR /.test(line));
    expect(errors).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr.trim().split('\n').pop()).toMatch(/^mlops-kit: MODEL_(VERSION_)?NOT_FOUND: /);
    const debug = await runCli(['run', file], { cwd: dir, env: { MLOPS_KIT_DEBUG: '1' } });
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});
