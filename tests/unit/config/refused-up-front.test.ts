import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, ConflictError, ErrorCodes, ValidationError } from '../../../src/domain/errors';
import { assertValidKey, assertValidModelName, conflictingKey, keyConflictError } from '../../../src/domain/model/naming-rules';
import { loadConfig, maskSecrets, parseAppConfig } from '../../../src/infrastructure/config';
import { findDuplicateJsonKey } from '../../../src/infrastructure/config/json-duplicates';
import { CONFIG_LIMITS, exceedsDepth } from '../../../src/infrastructure/config/limits';
import { realPathOf, writablePathProblem } from '../../../src/infrastructure/config/path-checks';
import { configErrorOf, TempConfigDir } from './config-test-helpers';

/** Issue #11: what the loader decides before any service starts. */
describe('loadConfig refuses bad input up front', () => {
  let tmp: TempConfigDir;
  beforeEach(() => {
    tmp = new TempConfigDir();
  });
  afterEach(() => tmp.cleanup());
  const load = (files: string[], sets: string[] = [], env: Record<string, string> = {}) =>
    loadConfig({ files, sets, env, envFile: false, cwd: tmp.dir });
  const fails = (files: string[], sets: string[] = [], env: Record<string, string> = {}) => configErrorOf(() => load(files, sets, env));

  describe('parsing', () => {
    it('an unknown YAML tag is CONFIG_PARSE with line and key path, and the tagged text is not echoed', () => {
      const file = tmp.write('t.yaml', 'job: {KIND: ExampleJob}\ntracking:\n  password: !Secr3t-value\n');
      const error = fails([file]);
      expect(error.code).toBe(ErrorCodes.CONFIG_PARSE);
      expect(error.message).toMatch(/^t\.yaml:3:\d+: tracking\.password: unknown YAML tag/);
      expect(error.message).not.toMatch(/Secr3t/);
    });

    it('a YAML message that quotes the source of a secret-keyed line is cut and masked', () => {
      const file = tmp.write('a.yaml', 'job: {KIND: ExampleJob}\ntracking:\n  password: *Tr0ub4dor&3\n');
      const error = fails([file]);
      expect(error.message).toMatch(/Unresolved alias/);
      expect(error.message).not.toMatch(/Tr0u|ub4d|dor&/);
    });

    it('a placeholder on a secret line stays readable in messages: only literal text counts as secret', () => {
      const file = tmp.write('p.yaml', 'job: {KIND: ExampleJob}\ntracking:\n  password: ${MLFLOW_TRACKING_PASSWORD}\n');
      expect(fails([file]).message).toContain('environment variable MLFLOW_TRACKING_PASSWORD is not set');
    });

    it('JSON duplicate keys are CONFIG_PARSE naming the key path, at any depth', () => {
      const file = tmp.write('d.json', '{"job": {"KIND": "ExampleJob"},\n "tracking": {"uri": "memory:", "uri": "noop"}}');
      const error = fails([file]);
      expect(error.code).toBe(ErrorCodes.CONFIG_PARSE);
      expect(error.message).toMatch(/^d\.json:2:\d+: tracking\.uri: duplicate key/);
      expect(findDuplicateJsonKey('{"a": [{"k": 1}, {"k": 2, "k": 3}]}', 64)).toEqual({ keyPath: 'a.1.k', offset: 26 });
      expect(findDuplicateJsonKey('{"a": {"k": 1}, "b": {"k": 2}, "s": "\\"k\\""}', 64)).toBeUndefined();
    });

    it(`a file over ${CONFIG_LIMITS.maxFileBytes} bytes is CONFIG_TOO_LARGE before it is read`, () => {
      const file = tmp.write('big.yaml', `job: {KIND: ExampleJob}\n${'#'.repeat(CONFIG_LIMITS.maxFileBytes)}\n`);
      expect(fails([file]).code).toBe(ErrorCodes.CONFIG_TOO_LARGE);
    });

    it(`nesting deeper than ${CONFIG_LIMITS.maxDepth} is CONFIG_TOO_LARGE, in files and in --set`, () => {
      const deep = `${'['.repeat(100)}${']'.repeat(100)}`;
      expect(fails([tmp.write('d.json', `{"job": {"KIND": "ExampleJob"}, "x": ${deep}}`)]).code).toBe(ErrorCodes.CONFIG_TOO_LARGE);
      expect(fails([tmp.write('d.yaml', `job: {KIND: ExampleJob}\nx: ${deep}\n`)]).code).toBe(ErrorCodes.CONFIG_TOO_LARGE);
      const error = fails([tmp.write('ok.yaml', 'job: {KIND: ExampleJob}\n')], [`job.x=${deep}`]);
      expect(error.message).toMatch(/^--set: config nests/);
      expect(exceedsDepth({ a: [[1]] }, 2)).toBe(true);
      expect(exceedsDepth({ a: [[1]] }, 3)).toBe(false);
    });

    it('a directory given as a config file is one clear line', () => {
      mkdirSync(path.join(tmp.dir, 'conf.yaml'));
      expect(fails(['conf.yaml']).message).toMatch(/^conf\.yaml: is a directory/);
    });
  });

  describe('--set errors blame --set', () => {
    it('--set job.epochs.x=5 over a number in the file', () => {
      const file = tmp.write('t.yaml', 'job: {KIND: TrainingJob, epochs: 3}\n');
      const error = fails([file], ['job.epochs.x=5']);
      expect(error.details).toMatchObject({ file: '--set', keyPath: 'job.epochs' });
    });

    it('but a key --set adds to a mapping of the file is still the file for the mapping, --set for the key', () => {
      const file = tmp.write('t.yaml', 'job: {KIND: TrainingJob}\n');
      expect(fails([file], ['job.nope=1']).details).toMatchObject({ file: '--set', keyPath: 'job.nope' });
    });
  });

  describe('secrets in messages', () => {
    it('a config password echoed by a type error in another field is masked', () => {
      const file = tmp.write('s.yaml', 'job: {KIND: ExampleJob}\ntracking:\n  password: Zq81-kkP0x\n  maxRetries: Zq81-kkP0x\n');
      const error = fails([file]);
      expect(error.message).toMatch(/tracking\.maxRetries/);
      expect(error.message).not.toContain('Zq81');
    });

    it('--print-config masks an env secret substituted into a harmless key (by value) and config secrets by key', () => {
      const file = tmp.write('p.yaml', 'job: {KIND: ExampleJob}\ntracking:\n  experimentName: exp-${MLFLOW_TRACKING_TOKEN}\n  password: Hq7-secret-pw\n');
      const { config } = load([file], [], { MLFLOW_TRACKING_TOKEN: 'tok-9PzqLm33' });
      const printed = JSON.stringify(maskSecrets(config));
      expect(printed).not.toMatch(/9PzqLm33|Hq7-secret-pw/);
      expect(maskSecrets({ a: { password: 'Kk-1234-zz', note: 'copy of Kk-1234-zz' } })).toEqual({ a: { password: '***', note: 'copy of ***' } });
    });
  });

  describe('paths and URLs (CONFIG_BAD_PATH, file and key path named)', () => {
    it('a missing or non-file job.dataPath', () => {
      const file = tmp.write('t.yaml', 'job: {KIND: TrainingJob, dataPath: data.csv}\ntracking: {uri: "memory:"}\n');
      expect(fails([file]).message).toMatch(/^t\.yaml: job\.dataPath: file "data\.csv" not found/);
      mkdirSync(path.join(tmp.dir, 'data.csv'));
      expect(fails([file]).message).toMatch(/^t\.yaml: job\.dataPath: "data\.csv" is not a file/);
    });

    it('a missing or non-file job.gate.dataPath of a PromotionJob', () => {
      const file = tmp.write('g.yaml', 'job: {KIND: PromotionJob, model: m, gate: {dataPath: holdout.csv, target: demand, metric: rmse}}\ntracking: {uri: "memory:"}\n');
      const error = fails([file]);
      expect(error.code).toBe(ErrorCodes.CONFIG_BAD_PATH);
      expect(error.message).toMatch(/^g\.yaml: job\.gate\.dataPath: file "holdout\.csv" not found/);
      mkdirSync(path.join(tmp.dir, 'holdout.csv'));
      expect(fails([file]).message).toMatch(/^g\.yaml: job\.gate\.dataPath: "holdout\.csv" is not a file/);
    });

    it('InferenceJob: output equal to input (also via symlink) or a directory', () => {
      tmp.write('in.csv', 'a\n1\n');
      symlinkSync(path.join(tmp.dir, 'in.csv'), path.join(tmp.dir, 'alias.csv'));
      const job = (out: string) => tmp.write('i.yaml', `job: {KIND: InferenceJob, modelUri: "models:/m/1", inputPath: in.csv, outputPath: ${out}}\ntracking: {uri: "memory:"}\n`);
      expect(fails([job('alias.csv')]).message).toMatch(/job\.outputPath: "alias\.csv" is the input file/);
      mkdirSync(path.join(tmp.dir, 'out'));
      expect(fails([job('out')]).message).toMatch(/job\.outputPath: "out" is a directory/);
      expect(() => load([job('out/p.csv')])).not.toThrow();
    });

    it.each([
      ['http://[::1', 'tracking.uri'],
      ['http://127.0.0.1:99999', 'tracking.uri'],
      ['gopher://x', 'tracking.uri'],
    ])('tracking.uri %s', (uri, keyPath) => {
      const error = fails([tmp.write('u.yaml', `job: {KIND: ExampleJob}\ntracking: {uri: "${uri}"}\n`)]);
      expect(error.code).toBe(ErrorCodes.CONFIG_BAD_PATH);
      expect(error.details).toMatchObject({ file: 'u.yaml', keyPath });
    });

    it('a bad registryUri is blamed on tracking.registryUri; one from the environment names the variable', () => {
      const file = tmp.write('r.yaml', 'job: {KIND: ExampleJob}\ntracking: {uri: "memory:", registryUri: "http://[::1"}\n');
      expect(fails([file]).details).toMatchObject({ file: 'r.yaml', keyPath: 'tracking.registryUri' });
      const plain = tmp.write('e.yaml', 'job: {KIND: ExampleJob}\n');
      expect(fails([plain], [], { MLFLOW_TRACKING_URI: 'http://h:0x' }).message).toMatch(/^MLFLOW_TRACKING_URI \(environment\): tracking\.uri: /);
    });

    it('sink, store and spill dir under /proc or /sys (symlinks resolved) are refused', () => {
      symlinkSync('/proc/self', path.join(tmp.dir, 'p'));
      const sink = fails([tmp.write('s.yaml', 'job: {KIND: ExampleJob}\nlogging: {sink: p/logs/x.log}\n')]);
      expect(sink.message).toMatch(/logging\.sink: "p\/logs\/x\.log" is under \/proc/);
      expect(fails([tmp.write('u.yaml', 'job: {KIND: ExampleJob}\ntracking: {uri: "file:///sys/mlruns"}\n')]).message).toMatch(/tracking\.uri: .* is under \/sys/);
      expect(writablePathProblem('/tmp/x')).toBeUndefined();
      expect(realPathOf('p/a/b', tmp.dir)).toMatch(/^\/proc\/\d+\/a\/b$/);
    });

    it('a sink that is a directory', () => {
      mkdirSync(path.join(tmp.dir, 'logs'));
      expect(fails([tmp.write('s.yaml', 'job: {KIND: ExampleJob}\nlogging: {sink: logs}\n')]).message).toMatch(/logging\.sink: "logs" is a directory/);
    });
  });

  describe('sizes and names (validation, so apps building configs in code get them too)', () => {
    it.each([
      [{ KIND: 'TrainingJob', rows: 1e9 }, /job\.rows: must be at most 1,000,000/],
      [{ KIND: 'TrainingJob', epochs: 1e9 }, /job\.epochs: must be at most 100,000/],
      [{ KIND: 'ExperimentJob', name: 'x', grid: { l2: [0] }, concurrency: 1e9 }, /job\.concurrency: must be at most 64/],
      [{ KIND: 'ExperimentJob', name: 'x', grid: { l2: [0] }, retries: 1e9 }, /job\.retries: must be at most 100/],
      [{ KIND: 'ExperimentJob', name: 'n'.repeat(501), grid: { l2: [0] } }, /job\.name: must have at most 500 characters/],
    ])('%o', (job, pattern) => {
      expect(configErrorOf(() => parseAppConfig({ job })).message).toMatch(pattern);
    });

    it('MLFLOW_EXPERIMENT_NAME over 500 characters is blamed on the variable', () => {
      const tmp = new TempConfigDir();
      try {
        const file = tmp.write('e.yaml', 'job: {KIND: ExampleJob}\n');
        const error = configErrorOf(() => loadConfig({ files: [file], env: { MLFLOW_EXPERIMENT_NAME: 'e'.repeat(600) }, envFile: false, cwd: tmp.dir }));
        expect(error.message).toMatch(/^MLFLOW_EXPERIMENT_NAME \(environment\): tracking\.experimentName: .*at most 500/);
      } finally {
        tmp.cleanup();
      }
    });

    it('tracking.experimentName over 500 characters, echoed cut', () => {
      const error = configErrorOf(() => parseAppConfig({ tracking: { experimentName: 'e'.repeat(10_000) } }));
      expect(error.message).toMatch(/tracking\.experimentName: .*\(10000 characters\).*at most 500/);
      expect(error.message.length).toBeLessThan(400);
    });
  });
});

describe('naming rules (domain)', () => {
  it.each(['.', '..', 'a\\b', 'a\u0000b', 'a%b', 'a\u001bb', 'x'.repeat(256), 'é'.repeat(128)])('model name %j is INVALID_MODEL_NAME', (name) => {
    let error: unknown;
    try {
      assertValidModelName(name);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe(ErrorCodes.INVALID_MODEL_NAME);
    expect((error as Error).message.length).toBeLessThan(300);
  });

  it.each(['bike-demand', 'é'.repeat(127), 'x'.repeat(255), 'Model v2 (final)'])('model name %j is fine', (name) => {
    expect(() => assertValidModelName(name)).not.toThrow();
  });

  it('a trailing-slash key is refused like MLflow refuses it', () => {
    expect(() => assertValidKey('metric', 'e/')).toThrow(/trailing/);
    expect(() => assertValidKey('metric', 'e/f')).not.toThrow();
  });

  it('keys a and a/b conflict in a file store, either order, as a typed ConflictError(KEY_CONFLICT)', () => {
    expect(conflictingKey('a/b', ['a'])).toBe('a');
    expect(conflictingKey('a', ['a/b'])).toBe('a/b');
    expect(conflictingKey('ab', ['a', 'a/b/c'])).toBeUndefined();
    const error = keyConflictError('metric', 'a/b', 'a');
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.code).toBe(ErrorCodes.KEY_CONFLICT);
    expect(error.message).toMatch(/metric "a\/b".*"a"/);
  });
});

test('ConfigError stays the type of every refusal above (exit code 2)', () => {
  expect(new ConfigError('x', ErrorCodes.CONFIG_BAD_PATH)).toBeInstanceOf(ConfigError);
});
