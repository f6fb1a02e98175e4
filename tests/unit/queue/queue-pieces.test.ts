import { BUILTIN_JOBS } from '../../../src/application/jobs/builtin-jobs';
import { JobRegistry } from '../../../src/application/jobs/job-registry';
import { ConfigError, ErrorCodes, MlopsError, UsageError } from '../../../src/domain/errors';
import { redisConnection } from '../../../src/infrastructure/queue/bullmq';
import { errorFromReason, failureReason, isPermanent } from '../../../src/infrastructure/queue/job-failure';
import { jobPayload, readJobPayload } from '../../../src/infrastructure/queue/payload';

describe('redisConnection', () => {
  it('reads host, port, credentials, db and TLS from the URL, and reconnects forever', () => {
    const c = redisConnection('rediss://app:p%40ss@queue.internal:6380/2');
    expect(c).toMatchObject({ host: 'queue.internal', port: 6380, username: 'app', password: 'p@ss', db: 2, tls: {}, maxRetriesPerRequest: null });
    expect(c.retryStrategy(100)).toBe(2000);
    expect(redisConnection('redis://127.0.0.1')).toMatchObject({ host: '127.0.0.1', port: 6379 });
  });

  it('a bad URL is a UsageError naming where it came from, without the password', () => {
    expect(() => redisConnection('http://h:1', '--queue')).toThrow(UsageError);
    expect(() => redisConnection('http://h:1', '--queue')).toThrow(/--queue: unsupported scheme "http:"/);
    expect(() => redisConnection('redis://h/x', '--queue')).toThrow(/the database "x" is not a number/);
    let message = '';
    try {
      redisConnection('not a url with :secret@', '--queue');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/is not a URL/);
    expect(message).not.toContain('secret');
  });
});

describe('job failures across Redis', () => {
  it('keep their code: a config code comes back as ConfigError (exit 2), others as MlopsError with the code', () => {
    const config = errorFromReason(failureReason(new ConfigError('job.x: bad', ErrorCodes.CONFIG_UNKNOWN_KIND)), '7');
    expect(config).toBeInstanceOf(ConfigError);
    expect(config).toMatchObject({ code: ErrorCodes.CONFIG_UNKNOWN_KIND, message: 'job.x: bad', details: { queueJobId: '7' } });
    const failed = errorFromReason(failureReason(new MlopsError(ErrorCodes.TRACKER_UNAVAILABLE, 'down')), '8');
    expect(failed).toMatchObject({ code: ErrorCodes.TRACKER_UNAVAILABLE, message: 'down' });
    expect(failed).not.toBeInstanceOf(ConfigError);
    expect(errorFromReason(failureReason(new TypeError('boom')), '9')).toMatchObject({ code: ErrorCodes.JOB_FAILED, message: 'UNEXPECTED: boom' });
    expect(errorFromReason('job stalled more than allowable limit', '10')).toMatchObject({ code: ErrorCodes.JOB_FAILED, message: 'job stalled more than allowable limit' });
  });

  it("never carry a secret only the worker holds into Redis: the reason is redacted with the worker's secrets", () => {
    const token = 'tok-9f8e7d6c5b4a';
    const reason = failureReason(new Error(`upstream said: bad token ${token}`), { MLFLOW_TRACKING_TOKEN: token });
    expect(reason).not.toContain(token);
    expect(reason).not.toContain(token.slice(4, 10));
    expect(reason).toMatch(/^UNEXPECTED: upstream said: bad token \*\*\*/);
  });

  it('config and usage errors are permanent (not retried), read by code even from another copy of the classes', () => {
    expect(isPermanent(new ConfigError('x'))).toBe(true);
    expect(isPermanent(Object.assign(new Error('x'), { code: 'CONFIG_INVALID' }))).toBe(true);
    expect(isPermanent(new MlopsError(ErrorCodes.JOB_FAILED, 'x'))).toBe(false);
    expect(isPermanent(new Error('x'))).toBe(false);
  });
});

describe('job payloads', () => {
  const jobs = new JobRegistry(BUILTIN_JOBS);

  it('carry the validated job section only, with defaults', () => {
    expect(jobPayload({ KIND: 'ExampleJob' }, jobs, 'enqueue()')).toEqual({ v: 1, job: { KIND: 'ExampleJob', metric: 'demo_metric', value: 1 } });
  });

  it('refuse a secret-looking key or a URL with credentials, naming the key', () => {
    const withToken = { KIND: 'ExperimentJob', name: 'x', grid: { l2: [0] }, base: { dataPath: 'https://h/d.csv?token=abc' } };
    expect(() => jobPayload(withToken, jobs, 'enqueue()')).toThrow(/enqueue\(\): job\.base\.dataPath: looks like a secret/);
  });

  it('a worker refuses a payload that is not a v1 mlops-kit payload', () => {
    expect(() => readJobPayload({ job: { KIND: 'ExampleJob' } })).toThrow(ConfigError);
    expect(readJobPayload({ v: 1, job: { KIND: 'ExampleJob' } })).toEqual({ v: 1, job: { KIND: 'ExampleJob' } });
  });
});

describe('job payloads', () => {
  it('fill MLOPS_MODEL_NAME like runtime.run does, so a job means the same on the queue', () => {
    const jobs = new JobRegistry([...BUILTIN_JOBS]);
    expect(jobPayload({ KIND: 'PromotionJob' }, jobs, 'enqueue()', { MLOPS_MODEL_NAME: 'churn' }).job.model).toBe('churn');
    expect(jobPayload({ KIND: 'PromotionJob', model: 'own' }, jobs, 'enqueue()', { MLOPS_MODEL_NAME: 'churn' }).job.model).toBe('own');
  });
});
