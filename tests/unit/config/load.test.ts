import { ErrorCodes } from '../../../src/domain/errors';
import { loadConfig } from '../../../src/infrastructure/config';
import { configErrorOf, TempConfigDir } from './config-test-helpers';

describe('loadConfig: files, merge order and --set', () => {
  let tmp: TempConfigDir;
  const env = { MLFLOW_TRACKING_USERNAME: 'ci-bot', MLFLOW_TRACKING_PASSWORD: 'pw-from-env' };
  const load = (files: string[], sets: string[] = [], extraEnv: Record<string, string> = {}) =>
    loadConfig({ files, sets, cwd: tmp.dir, env: { ...env, ...extraEnv } });

  beforeEach(() => {
    tmp = new TempConfigDir();
  });
  afterEach(() => tmp.cleanup());

  it('deep-merges files in order: later files win key by key, untouched keys survive', () => {
    const files = [tmp.fixture('base.yaml'), tmp.fixture('production.yaml'), tmp.fixture('promotion.yaml')];
    const { config, sources } = load(files);

    expect(config.logging).toEqual({ level: 'warn', sink: 'stderr', format: 'json' });
    expect(config.tracking.uri).toBe('https://mlflow.example.com');
    expect(config.tracking.experimentName).toBe('base-experiment'); // only in base.yaml
    expect(config.tracking.s3).toEqual({ region: 'eu-west-1' });
    expect(config.tracking.onUnavailable).toBe('fail');
    expect(config.job).toMatchObject({ KIND: 'PromotionJob', alias: 'Champion', model: 'bike-demand' });
    expect(sources).toEqual(['base.yaml', 'production.yaml', 'promotion.yaml']);
  });

  it('replaces arrays instead of concatenating them', () => {
    const a = tmp.write('a.yaml', 'job: { KIND: ExperimentJob, name: x, variants: [{ lr: 1 }, { lr: 2 }] }\n');
    const b = tmp.write('b.yaml', 'job: { variants: [{ lr: 3 }] }\n');
    expect(load([a, b]).config.job).toMatchObject({ variants: [{ lr: 3 }] });
  });

  it('applies --set after the files, in order, later --set winning', () => {
    const files = [tmp.fixture('base.yaml'), tmp.fixture('promotion.yaml')];
    const { config, sources } = load(files, ['job.alias=Challenger', 'job.alias=Staging', 'job.version=3', 'logging.level=debug']);

    expect(config.job).toMatchObject({ alias: 'Staging', version: 3 });
    expect(config.logging.level).toBe('debug');
    expect(sources).toEqual(['base.yaml', 'promotion.yaml', '--set job.alias', '--set job.alias', '--set job.version', '--set logging.level']);
  });

  it('parses --set values as YAML scalars: numbers, booleans, and quoted text', () => {
    const job = tmp.write('job.yaml', 'job: { KIND: TrainingJob }\n');
    const { config } = load([job], ['job.seed=7', 'job.register=false', "job.runName='3'", 'job.learningRate=0.5']);
    expect(config.job).toMatchObject({ seed: 7, register: false, runName: '3', learningRate: 0.5 });
  });

  it('lets --set edit one element of a list by index, and reports an index that does not exist', () => {
    const job = tmp.write('job.yaml', 'job: { KIND: ExperimentJob, name: x, variants: [{ lr: 1 }, { lr: 2 }] }\n');
    expect(load([job], ['job.variants.1.lr=5']).config.job).toMatchObject({ variants: [{ lr: 1 }, { lr: 5 }] });

    const error = configErrorOf(() => load([job], ['job.variants.7.lr=5']));
    expect(error.code).toBe(ErrorCodes.CONFIG_BAD_OVERRIDE);
    expect(error.message).toContain('job.variants');
  });

  it('builds a whole config from --set alone on top of an empty file', () => {
    const empty = tmp.write('empty.yaml', '# nothing yet\n');
    const { config } = load([empty], ['job.KIND=ExampleJob', 'job.value=2.5']);
    expect(config.job).toEqual({ KIND: 'ExampleJob', metric: 'demo_metric', value: 2.5 });
  });

  it('reads JSON config files', () => {
    const { config } = load([tmp.fixture('experiment.json')]);
    expect(config.job).toMatchObject({ KIND: 'ExperimentJob', name: 'lr-sweep', concurrency: 2, retries: 0, failFast: false });
  });

  it('treats an empty value (null) as "not set", so a later file can unset a key', () => {
    const a = tmp.write('a.yaml', 'tracking: { uri: http://h, token: abc }\njob: { KIND: ExampleJob }\n');
    const b = tmp.write('b.yaml', 'tracking:\n  token:\n');
    expect(load([a, b]).config.tracking.token).toBeUndefined();
  });

  it('fills job.model from MLOPS_MODEL_NAME when the config leaves it unset, and explicit config wins', () => {
    const job = tmp.write('job.yaml', 'job: { KIND: PromotionJob }\n');
    expect(load([job], [], { MLOPS_MODEL_NAME: 'churn' }).config.job).toMatchObject({ model: 'churn' });
    expect(load([job], ['job.model=fraud'], { MLOPS_MODEL_NAME: 'churn' }).config.job).toMatchObject({ model: 'fraud' });
    expect(load([job]).config.job).toMatchObject({ model: 'bike-demand' });
  });

  it('fails with CONFIG_FILE_NOT_FOUND naming the path when a file is missing', () => {
    const error = configErrorOf(() => load(['conf/nope.yaml']));
    expect(error.code).toBe(ErrorCodes.CONFIG_FILE_NOT_FOUND);
    expect(error.message).toContain('conf/nope.yaml');
    expect(error.details).toMatchObject({ file: 'conf/nope.yaml' });
  });

  it('fails with CONFIG_PARSE naming the file, line and column of a YAML syntax error', () => {
    const error = configErrorOf(() => load([tmp.fixture('bad-indent.yaml')]));
    expect(error.code).toBe(ErrorCodes.CONFIG_PARSE);
    expect(error.message).toMatch(/^bad-indent\.yaml:3:\d+: /);
    expect(error.message).toMatch(/indent|same column/i);
    expect(error.message).not.toContain('\n');
    expect(error.details).toMatchObject({ file: 'bad-indent.yaml', line: 3 });
  });

  it('explains the classic unquoted value ending in ":" (uri: memory:)', () => {
    const file = tmp.write('colon.yaml', 'tracking:\n  uri: memory:\njob:\n  KIND: ExampleJob\n');
    const error = configErrorOf(() => load([file]));
    expect(error.code).toBe(ErrorCodes.CONFIG_PARSE);
    expect(error.message).toMatch(/^colon\.yaml:2:\d+: /);
    expect(error.message).toContain('must be quoted, e.g. uri: "memory:"');
  });

  it('reports duplicate YAML keys as a parse error with their line', () => {
    const dup = tmp.write('dup.yaml', 'job:\n  KIND: ExampleJob\n  KIND: PromotionJob\n');
    const error = configErrorOf(() => load([dup]));
    expect(error.code).toBe(ErrorCodes.CONFIG_PARSE);
    expect(error.message).toMatch(/^dup\.yaml:3:\d+: .*unique/);
  });

  it('reports a JSON syntax error with its line and never echoes the file text', () => {
    const bad = tmp.write('bad.json', '{\n  "tracking": { "password": "hunter2-secret" },\n  "job": }\n');
    const error = configErrorOf(() => load([bad]));
    expect(error.code).toBe(ErrorCodes.CONFIG_PARSE);
    expect(error.message).toMatch(/^bad\.json:3:\d+: JSON error/);
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('\n');
  });

  it('fails with CONFIG_INVALID when a file is not a mapping at the top level', () => {
    const error = configErrorOf(() => load([tmp.fixture('top-level-list.yaml')]));
    expect(error.code).toBe(ErrorCodes.CONFIG_INVALID);
    expect(error.message).toMatch(/^top-level-list\.yaml: .*expected a mapping.*got a list/);
  });

  it('rejects file types it cannot parse', () => {
    const toml = tmp.write('app.toml', 'job = 1\n');
    const error = configErrorOf(() => load([toml]));
    expect(error.code).toBe(ErrorCodes.CONFIG_INVALID);
    expect(error.message).toContain('.yaml, .yml or .json');
  });

  it('requires a job section and says how to add one', () => {
    const noJob = tmp.write('base.yaml', 'logging: { level: info }\n');
    const error = configErrorOf(() => load([noJob]));
    expect(error.code).toBe(ErrorCodes.CONFIG_INVALID);
    expect(error.message).toMatch(/^base\.yaml: job: the job section is missing\. .*KIND.*ExampleJob/);
    expect(error.details).toMatchObject({ keyPath: 'job' });
  });

  it('never writes to Object.prototype, whatever the keys say', () => {
    const evil = tmp.write('evil.json', '{ "__proto__": { "polluted": true }, "job": { "KIND": "ExampleJob" } }');
    expect(() => load([evil])).toThrow();
    expect(() => load([tmp.write('ok.yaml', 'job: { KIND: ExampleJob }\n')], ['__proto__.polluted=true'])).toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
