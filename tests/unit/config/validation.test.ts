import type { ExperimentJobConfig, PromotionJobConfig } from 'mlops-kit';
import { ErrorCodes } from '../../../src/domain/errors';
import {
  JOB_KINDS,
  loadConfig,
  parseAppConfig,
  type AppConfig,
  type RunnableConfig,
  type TrackingConfig,
} from '../../../src/infrastructure/config';
import { configErrorOf, TempConfigDir } from './config-test-helpers';

describe('validation errors name the file, the key path, the problem and the fix', () => {
  let tmp: TempConfigDir;
  beforeEach(() => {
    tmp = new TempConfigDir();
  });
  afterEach(() => tmp.cleanup());

  const load = (files: Record<string, string>, sets: string[] = []) =>
    loadConfig({ files: Object.entries(files).map(([name, text]) => tmp.write(name, text)), sets, cwd: tmp.dir, env: {} });

  it('wrong type: names the file the key came from, the key path and the expected type', () => {
    const error = configErrorOf(() =>
      load({ 'base.yaml': 'tracking: { uri: http://h }\n', 'job.yaml': 'job: { KIND: TrainingJob, epochs: many }\n' }),
    );
    expect(error.code).toBe(ErrorCodes.CONFIG_INVALID);
    expect(error.message).toBe('job.yaml: job.epochs: expected a number, got the text "many". Write a number such as 3 or 0.5.');
    expect(error.details).toMatchObject({ file: 'job.yaml', keyPath: 'job.epochs' });
  });

  it('blames the later file when it overrode the value', () => {
    const error = configErrorOf(() =>
      load({ 'a.yaml': 'alerts: { enabled: true }\njob: { KIND: ExampleJob }\n', 'b.yaml': 'alerts: { enabled: sometimes }\n' }),
    );
    expect(error.message).toMatch(/^b\.yaml: alerts\.enabled: expected true or false, got the text "sometimes"\. Write true or false\.$/);
  });

  it('blames --set for a value that came from an override', () => {
    const error = configErrorOf(() => load({ 'a.yaml': 'job: { KIND: PromotionJob }\n' }, ['job.version=0']));
    expect(error.message).toMatch(/^--set: job\.version: must be >= 1, got 0\./);
  });

  it('unknown key: rejected with a "did you mean" and the allowed keys', () => {
    const error = configErrorOf(() => load({ 'app.yaml': 'tracking: { pasword: x }\njob: { KIND: ExampleJob }\n' }));
    expect(error.code).toBe(ErrorCodes.CONFIG_INVALID);
    expect(error.message).toMatch(/^app\.yaml: tracking\.pasword: unknown key "pasword"\. Did you mean "password"\? Allowed keys: uri, registryUri, .*spillDir, systemMetrics\.$/);
  });

  it('unknown key inside a job: lists the keys of that KIND', () => {
    const error = configErrorOf(() => load({ 'a.yaml': 'job: { KIND: InferenceJob, modelUri: "models:/m/1", inputPath: i, outputPath: o, colour: red }\n' }));
    expect(error.message).toBe('a.yaml: job.colour: unknown key "colour". Allowed keys: KIND, modelUri, inputPath, outputPath.');
  });

  describe('PromotionJob gate', () => {
    const gate = (fields: string) => ({ 'p.yaml': `job: { KIND: PromotionJob, model: m, gate: { dataPath: h.csv, target: demand, ${fields} } }\n` });
    beforeEach(() => tmp.write('h.csv', 'hour,demand\n8,120\n'));

    it('a metric it does not know names job.gate.metric and lists the metrics', () => {
      const error = configErrorOf(() => load(gate('metric: mape')));
      expect(error.code).toBe(ErrorCodes.CONFIG_INVALID);
      expect(error.message).toBe('p.yaml: job.gate.metric: "mape" is not allowed. Did you mean "mae"? Use one of: rmse, mae, r2, accuracy, f1.');
      expect(error.details).toMatchObject({ file: 'p.yaml', keyPath: 'job.gate.metric' });
    });

    it.each([
      ['no metric', 'mustBeat: Champion', 'job.gate.metric'],
      ['an unknown key', 'metric: rmse, treshold: 3', 'job.gate.treshold'],
      ['minImprovement 0', 'metric: rmse, minImprovement: 0', 'job.gate.minImprovement'],
      ['a reserved mustBeat alias', 'metric: rmse, mustBeat: latest', 'job.gate.mustBeat'],
      ['a threshold that is not a number', 'metric: r2, threshold: high', 'job.gate.threshold'],
    ])('%s is a ConfigError naming the key', (_what, fields, keyPath) => {
      const error = configErrorOf(() => load(gate(fields)));
      expect(error.details).toMatchObject({ keyPath });
      expect(error.message).not.toContain('\n');
    });

    it('a gate with every field, and values from --set, validates with numbers coerced', () => {
      const { config } = load(gate('metric: rmse'), ['job.gate.minImprovement=0.5', 'job.gate.threshold=40', 'job.gate.mustBeat=Prod']);
      expect(config.job).toMatchObject({ gate: { dataPath: 'h.csv', target: 'demand', metric: 'rmse', minImprovement: 0.5, threshold: 40, mustBeat: 'Prod' } });
    });
  });

  it('unknown KIND: CONFIG_UNKNOWN_KIND listing every valid KIND, with a suggestion', () => {
    const error = configErrorOf(() => load({ 'a.yaml': 'job: { KIND: PromotoinJob, model: x }\n' }));
    expect(error.code).toBe(ErrorCodes.CONFIG_UNKNOWN_KIND);
    expect(error.message).toBe(
      `a.yaml: job.KIND: unknown KIND "PromotoinJob". Did you mean "PromotionJob"? Valid KINDs: ${JOB_KINDS.join(', ')}.`,
    );
  });

  it('missing KIND: same code, says what to set', () => {
    const error = configErrorOf(() => load({ 'a.yaml': 'job: { model: x }\n' }));
    expect(error.code).toBe(ErrorCodes.CONFIG_UNKNOWN_KIND);
    expect(error.message).toMatch(/^a\.yaml: job\.KIND: KIND is missing\. Set KIND .*ExampleJob, PromotionJob/);
  });

  it('a required job field that is missing says "is required"', () => {
    const error = configErrorOf(() => load({ 'a.yaml': 'job: { KIND: InferenceJob, modelUri: "models:/m@Champion", inputPath: in.csv }\n' }));
    expect(error.message).toBe('a.yaml: job.outputPath: is required (text). Add it.');
  });

  it('several problems: the first in full, the others counted, all on one line and in details', () => {
    const error = configErrorOf(() =>
      load({ 'a.yaml': 'logging: { level: loud, format: xml }\njob: { KIND: TrainingJob, testFraction: 1.5 }\n' }),
    );
    expect(error.message).toMatch(/^a\.yaml: logging\.level: "loud" is not allowed\. Use one of: error, warn, info, http, verbose, debug, silly\. \(\+2 more: logging\.format, job\.testFraction\)$/);
    expect(error.message).not.toContain('\n');
    expect(error.details.issues).toHaveLength(3);
  });

  it('never echoes a value found under a secret-looking key', () => {
    const error = configErrorOf(() => load({ 'a.yaml': 'tracking: { password: 123456789 }\njob: { KIND: ExampleJob }\n' }));
    expect(error.message).toMatch(/^a\.yaml: tracking\.password: expected text, got a number \(value hidden\)/);
    expect(error.message).not.toContain('123456789');
  });

  it('applies domain rules at load time: reserved aliases, model URIs, model names, metric keys', () => {
    const alias = configErrorOf(() => load({ 'a.yaml': 'job: { KIND: PromotionJob, alias: latest }\n' }));
    expect(alias.message).toMatch(/^a\.yaml: job\.alias: .*"latest" is reserved/);

    const uri = configErrorOf(() => load({ 'a.yaml': 'job: { KIND: InferenceJob, modelUri: "runs:/x/model", inputPath: i, outputPath: o }\n' }));
    expect(uri.message).toMatch(/^a\.yaml: job\.modelUri: .*models:\/<name>\/<version>, models:\/<name>@<alias>, models:\/m-<logged model id> or runs:\/<run id>\/<path>/);

    const model = configErrorOf(() => load({ 'a.yaml': 'job: { KIND: TrainingJob, model: "a/b" }\n' }));
    expect(model.message).toMatch(/^a\.yaml: job\.model: .*may not contain/);

    const metric = configErrorOf(() => load({ 'a.yaml': 'job: { KIND: ExampleJob, metric: "bad//key" }\n' }));
    expect(metric.message).toMatch(/^a\.yaml: job\.metric: Invalid metric key/);
  });

  it('ExperimentJob needs variants or a grid', () => {
    const error = configErrorOf(() => load({ 'a.yaml': 'job: { KIND: ExperimentJob, name: sweep }\n' }));
    expect(error.message).toMatch(/^a\.yaml: job: needs branches: set variants .* or grid/);
    const emptyGrid = configErrorOf(() => load({ 'a.yaml': 'job: { KIND: ExperimentJob, name: sweep, grid: { lr: [] } }\n' }));
    expect(emptyGrid.message).toMatch(/^a\.yaml: job\.grid\.lr: must list at least one value\./);
  });

  it('refuses insecureTls together with a server certificate, as MLflow does', () => {
    const error = configErrorOf(() => load({ 'a.yaml': 'tracking: { insecureTls: "true", serverCertPath: /ca.pem }\njob: { KIND: ExampleJob }\n' }));
    expect(error.message).toMatch(/^a\.yaml: tracking\.insecureTls: insecureTls and serverCertPath cannot both be set/);
  });
});

describe('defaults', () => {
  it('fills every section from a config that only names a job', () => {
    const config = parseAppConfig({ job: { KIND: 'ExampleJob' } }, { requireJob: true });
    expect(config).toEqual({
      app: { name: 'mlops-kit' },
      logging: { level: 'info', sink: 'stderr', format: 'pretty' },
      alerts: { enabled: true },
      tracking: { onUnavailable: 'spill', spillDir: './mlruns-spill' },
      job: { KIND: 'ExampleJob', metric: 'demo_metric', value: 1 },
    });
  });

  it('applies the documented defaults of each job KIND', () => {
    const job = (raw: Record<string, unknown>) => parseAppConfig({ job: raw }, { requireJob: true }).job;
    expect(job({ KIND: 'PromotionJob' })).toEqual({ KIND: 'PromotionJob', model: 'bike-demand', alias: 'Champion', dryRun: false });
    expect(job({ KIND: 'TrainingJob' })).toEqual({
      KIND: 'TrainingJob', model: 'bike-demand', seed: 42, rows: 500, epochs: 200, learningRate: 0.05, l2: 0.001, testFraction: 0.2, register: true,
    });
    expect(job({ KIND: 'ExperimentJob', name: 'x', variants: [{ l2: 0 }] })).toEqual({
      KIND: 'ExperimentJob', name: 'x', model: 'bike-demand', base: {}, variants: [{ l2: 0 }], concurrency: 4, retries: 0, retryBackoffMs: 100, failFast: false,
    });
  });

  it('takes job.model from MLOPS_MODEL_NAME only when given an env', () => {
    const raw = { job: { KIND: 'TrainingJob' } };
    expect(parseAppConfig(raw, { env: { MLOPS_MODEL_NAME: 'churn' } }).job).toMatchObject({ model: 'churn' });
    expect(parseAppConfig(raw).job).toMatchObject({ model: 'bike-demand' });
  });

  it('is idempotent: a parsed config parses to itself', () => {
    const once = parseAppConfig({ tracking: { maxRetries: '2', s3: { ignoreTls: 'yes' } }, job: { KIND: 'TrainingJob', seed: '7' } });
    expect(parseAppConfig(once)).toEqual(once);
    expect(once.tracking).toMatchObject({ maxRetries: 2, s3: { ignoreTls: true } });
  });

  it('accepts a config without a job unless one is required', () => {
    expect(parseAppConfig({}).job).toBeUndefined();
    expect(configErrorOf(() => parseAppConfig({}, { requireJob: true })).message).toMatch(/^config: job: the job section is missing/);
  });
});

// Compile-time checks (tsc): the exported types are what the container and the jobs rely on.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const typeChecks: Array<true> = [
  true as Equal<TrackingConfig['maxRetries'], number | undefined>,
  true as Equal<TrackingConfig['insecureTls'], boolean | undefined>,
  true as Equal<AppConfig['alerts']['enabled'], boolean>,
  // a job config as written: defaulted fields optional, each field its real type
  true as Equal<PromotionJobConfig['dryRun'], boolean | undefined>,
  true as Equal<PromotionJobConfig['version'], number | undefined>,
  true as Equal<ExperimentJobConfig['base'], Record<string, unknown> | undefined>,
  // a validated job section names its KIND; the app's own kinds are strings too
  true as Equal<RunnableConfig['job']['KIND'], string>,
];

describe('exported types', () => {
  it('match the schema (checked by tsc; a mismatch fails type-checking)', () => {
    const minimal: TrackingConfig = { onUnavailable: 'spill', spillDir: './mlruns-spill' };
    expect(parseAppConfig({ tracking: minimal }).tracking).toEqual(minimal);
    expect(typeChecks.every(Boolean)).toBe(true);
  });
});
