import { ErrorCodes } from '../../../src/domain/errors';
import { loadConfig, substituteString } from '../../../src/infrastructure/config';
import { configErrorOf, TempConfigDir } from './config-test-helpers';

describe('substituteString', () => {
  it('replaces ${VAR} with its value and leaves other text alone', () => {
    expect(substituteString('http://${HOST}:5000/$path', { HOST: 'mlflow' })).toEqual({ value: 'http://mlflow:5000/$path', missing: [] });
  });

  it('uses the default of ${VAR:-default} when VAR is unset or empty, and VAR when it is set', () => {
    expect(substituteString('${A:-fallback}', {}).value).toBe('fallback');
    expect(substituteString('${A:-fallback}', { A: '' }).value).toBe('fallback');
    expect(substituteString('${A:-fallback}', { A: 'real' }).value).toBe('real');
  });

  it('gives an empty string (not null) for ${VAR:-}, and "" for a set-but-empty ${VAR}', () => {
    expect(substituteString('${T:-}', {}).value).toBe('');
    expect(substituteString('${T}', { T: '' })).toEqual({ value: '', missing: [] });
  });

  it('treats $${VAR} as the escape for a literal ${VAR}', () => {
    expect(substituteString('cost: $${PRICE} not ${PRICE}', { PRICE: '3' }).value).toBe('cost: ${PRICE} not 3');
  });

  it('does not expand variables inside substituted values', () => {
    expect(substituteString('${A}', { A: '${B}', B: 'no' }).value).toBe('${B}');
  });

  it('returns missing variables instead of guessing', () => {
    expect(substituteString('${A}-${B}', { B: 'b' })).toEqual({ value: '-b', missing: ['A'] });
  });
});

describe('loadConfig: ${VAR} substitution', () => {
  let tmp: TempConfigDir;
  beforeEach(() => {
    tmp = new TempConfigDir();
  });
  afterEach(() => tmp.cleanup());

  const job = 'job: { KIND: ExampleJob }\n';

  it('substitutes after parsing, so values containing ": " or "#" cannot change the document', () => {
    const file = tmp.write('app.yaml', `${job}tracking:\n  password: \${PW}\n  uri: \${URI:-}\n  experimentName: "\${EXP:-a: b # c}"\n`);
    const { config } = loadConfig({ files: [file], cwd: tmp.dir, env: { PW: 'p: w # not a comment' } });
    expect(config.tracking.password).toBe('p: w # not a comment');
    expect(config.tracking.experimentName).toBe('a: b # c');
    expect(config.tracking.uri).toBeUndefined(); // `${URI:-}` is "", which means "not set"
  });

  it('substitutes in lists and in --set values, but never in keys', () => {
    const file = tmp.write('exp.yaml', 'job:\n  KIND: ExperimentJob\n  name: ${EXP_NAME}\n  grid: { "${NOT_A_KEY}": ["${LR:-0.1}", 0.2] }\n');
    const { config } = loadConfig({ files: [file], sets: ['job.base.dataPath=${DATA}'], cwd: tmp.dir, env: { EXP_NAME: 'sweep', DATA: '/d.csv' } });
    expect(config.job).toMatchObject({ name: 'sweep', base: { dataPath: '/d.csv' }, grid: { '${NOT_A_KEY}': ['0.1', 0.2] } });
  });

  it('coerces substituted booleans and numbers when they parse cleanly', () => {
    const file = tmp.fixture('base.yaml');
    const promo = tmp.write('promo.yaml', 'job: { KIND: PromotionJob, version: "${V}", dryRun: "${DRY:-no}" }\n');
    const withDefaults = loadConfig({ files: [file, promo], cwd: tmp.dir, env: { V: '4' } }).config;
    expect(withDefaults.tracking).toMatchObject({ maxRetries: 3, insecureTls: false, uri: './mlruns' });
    expect(withDefaults.job).toMatchObject({ version: 4, dryRun: false });

    const fromEnv = loadConfig({
      files: [file, promo],
      cwd: tmp.dir,
      env: { V: '2', DRY: 'TRUE', MLFLOW_HTTP_REQUEST_MAX_RETRIES: '7', MLFLOW_TRACKING_INSECURE_TLS: 'true' },
    }).config;
    expect(fromEnv.tracking).toMatchObject({ maxRetries: 7, insecureTls: true });
    expect(fromEnv.job).toMatchObject({ version: 2, dryRun: true });
  });

  it('rejects substituted values that do not parse cleanly, naming the key and the expected type', () => {
    const file = tmp.fixture('base.yaml');
    const error = configErrorOf(() =>
      loadConfig({ files: [file, tmp.write('j.yaml', job)], cwd: tmp.dir, env: { MLFLOW_HTTP_REQUEST_MAX_RETRIES: '3 times' } }),
    );
    expect(error.code).toBe(ErrorCodes.CONFIG_INVALID);
    expect(error.message).toMatch(/^base\.yaml: tracking\.maxRetries: expected a number, got the text "3 times"\./);
  });

  it('fails with CONFIG_MISSING_ENV naming the variable, the file it came from and the key path', () => {
    const files = [tmp.fixture('base.yaml'), tmp.fixture('production.yaml'), tmp.write('j.yaml', job)];
    const error = configErrorOf(() => loadConfig({ files, cwd: tmp.dir, env: { MLFLOW_TRACKING_USERNAME: 'bot' } }));

    expect(error.code).toBe(ErrorCodes.CONFIG_MISSING_ENV);
    expect(error.message).toBe(
      'production.yaml: tracking.password: environment variable MLFLOW_TRACKING_PASSWORD is not set. ' +
        'Set MLFLOW_TRACKING_PASSWORD in the environment or .env, or write ${MLFLOW_TRACKING_PASSWORD:-default}.',
    );
    expect(error.details).toMatchObject({ file: 'production.yaml', keyPath: 'tracking.password', variable: 'MLFLOW_TRACKING_PASSWORD' });
  });

  it('reports every missing variable in one line, first one in full', () => {
    const files = [tmp.fixture('production.yaml'), tmp.write('j.yaml', job)];
    const error = configErrorOf(() => loadConfig({ files, cwd: tmp.dir, env: {} }));
    expect(error.message).toMatch(/^production\.yaml: tracking\.username: environment variable MLFLOW_TRACKING_USERNAME is not set\./);
    expect(error.message).toContain('(1 more missing: MLFLOW_TRACKING_PASSWORD at production.yaml: tracking.password)');
    expect(error.message).not.toContain('\n');
  });

  it('names "--set" as the origin of a variable used in an override', () => {
    const error = configErrorOf(() =>
      loadConfig({ files: [tmp.write('j.yaml', job)], sets: ['tracking.token=${API_TOKEN}'], cwd: tmp.dir, env: {} }),
    );
    expect(error.code).toBe(ErrorCodes.CONFIG_MISSING_ENV);
    expect(error.message).toMatch(/^--set: tracking\.token: environment variable API_TOKEN is not set\./);
  });

  it('rejects a malformed placeholder and says how to write a literal', () => {
    const file = tmp.write('bad.yaml', `${job}tracking: { uri: "http://\${HOST" }\n`);
    const error = configErrorOf(() => loadConfig({ files: [file], cwd: tmp.dir, env: {} }));
    expect(error.code).toBe(ErrorCodes.CONFIG_INVALID);
    expect(error.message).toMatch(/^bad\.yaml: tracking\.uri: malformed placeholder .*\$\$\{/);
  });
});
