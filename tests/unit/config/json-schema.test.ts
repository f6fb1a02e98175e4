import { BUILTIN_JOBS } from '../../../src/application/jobs/builtin-jobs';
import { configJsonSchema, JOB_KINDS } from '../../../src/infrastructure/config';

describe('configJsonSchema (mlops-kit schema)', () => {
  const schema = configJsonSchema() as Record<string, any>;

  it('is a draft 2020-12 JSON Schema of the whole config', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['app', 'logging', 'alerts', 'tracking', 'job']));
    expect(schema.additionalProperties).toBe(false);
    expect(() => JSON.stringify(schema)).not.toThrow();
  });

  it('lists every job KIND, one strict schema per KIND', () => {
    const options: Array<Record<string, any>> = schema.properties.job.oneOf ?? schema.properties.job.anyOf;
    expect(options.map((o) => o.properties.KIND.const)).toEqual([...JOB_KINDS]);
    for (const option of options) expect(option.additionalProperties).toBe(false);
  });

  it('documents defaults and leaves defaulted fields optional', () => {
    const tracking = schema.properties.tracking;
    expect(tracking.properties.onUnavailable).toMatchObject({ enum: ['spill', 'fail'], default: 'spill' });
    expect(tracking.required ?? []).not.toContain('onUnavailable');
  });

  it('lets boolean and number fields hold a ${VAR} placeholder, as config files do', () => {
    const insecureTls = schema.properties.tracking.properties.insecureTls;
    expect(insecureTls.anyOf).toEqual([{ type: 'boolean' }, expect.objectContaining({ type: 'string' })]);
    const pattern = new RegExp(insecureTls.anyOf[1].pattern);
    expect(pattern.test('${MLFLOW_TRACKING_INSECURE_TLS:-false}')).toBe(true);
    expect(pattern.test('maybe')).toBe(false);
    expect(schema.properties.tracking.properties.maxRetries.anyOf[0]).toMatchObject({ type: 'integer', maximum: 9 });
  });
});

describe('JOB_KINDS', () => {
  it('has a one-line description for every KIND', () => {
    expect(JOB_KINDS).toEqual(['ExampleJob', 'PromotionJob', 'TrainingJob', 'InferenceJob', 'ExperimentJob']);
    for (const definition of BUILTIN_JOBS) expect(definition.description).toMatch(/^[^\n]{10,120}$/);
  });
});
