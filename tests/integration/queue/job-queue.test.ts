import Redis from 'ioredis';
import { ConfigError, ErrorCodes, MlopsError } from '../../../src/domain/errors';
import { InMemoryTracker } from '../../../src/infrastructure/tracking/memory';
import { createTestContainer } from '../../../src/infrastructure/container';
import { TYPES } from '../../../src/domain/tokens';
import { connectJobQueue, startQueueWorker, QUEUE_JOB_TAG, type JobQueue, type QueueWorker } from '../../../src/infrastructure/queue';
import { startRedisServer, type RedisServer } from '../../support/redis-server';

describe('JobQueue + QueueWorker in one process (a real redis-server)', () => {
  let redis: RedisServer;
  let queue: JobQueue;
  let worker: QueueWorker;
  let tracker: InMemoryTracker;
  let client: Redis;

  beforeAll(async () => {
    redis = await startRedisServer();
    client = new Redis(redis.url);
    tracker = new InMemoryTracker();
    worker = await startQueueWorker({ container: createTestContainer({ overrides: { [TYPES.Tracker]: tracker } }), url: redis.url, name: 'lib' });
    queue = connectJobQueue({ url: redis.url, name: 'lib' });
  });
  // a failed beforeAll leaves these unset: say nothing more than its own error
  afterAll(async () => {
    await queue?.close();
    await worker?.close();
    client?.disconnect();
    await redis?.stop();
  });

  it('enqueue → worker → result: the job runs on the worker runtime and its run is tagged with the queue job', async () => {
    const { id } = await queue.enqueue({ KIND: 'ExampleJob', value: 7 });
    const result = await queue.result(id);
    expect(result).toMatchObject({ metric: 'demo_metric', value: 7 });
    const run = await tracker.getRun(result.runId as string);
    expect(run.info.status).toBe('FINISHED');
    expect(run.data.tags[QUEUE_JOB_TAG]).toBe(`lib/${id}`);
    expect(await queue.status(id)).toMatchObject({ id, state: 'completed', result: { value: 7 } });
  });

  it('an invalid config is a ConfigError naming the key, and nothing reaches Redis', async () => {
    const before = await client.keys('*');
    await expect(queue.enqueue({ KIND: 'ExampleJob', vlaue: 7 })).rejects.toThrow(ConfigError);
    await expect(queue.enqueue({ KIND: 'ExampleJob', vlaue: 7 })).rejects.toThrow(/enqueue\(\): job\.vlaue: unknown key "vlaue"/);
    await expect(queue.enqueue({ KIND: 'NoSuchJob' })).rejects.toMatchObject({ code: ErrorCodes.CONFIG_UNKNOWN_KIND });
    expect(await client.keys('*')).toEqual(before);
  });

  it('a job config that carries a secret is refused before Redis (workers read credentials from their env)', async () => {
    const before = await client.keys('*');
    const job = { KIND: 'ExperimentJob', name: 'x', grid: { l2: [0, 0.1] }, base: { dataPath: 'https://bob:hunter2@data.example.com/bikes.csv' } };
    await expect(queue.enqueue(job)).rejects.toThrow(/job\.base\.dataPath: looks like a secret/);
    expect(await client.keys('*')).toEqual(before);
  });

  it('a job that fails comes back as an error with its code; a config error found by the worker as a ConfigError', async () => {
    // the worker validates again: a payload written by hand (bypassing enqueue's check) fails there, unretried
    const bad = await queue.add({ v: 1, job: { KIND: 'ExampleJob', metric: 'bad metric!' } }, { attempts: 3, backoffMs: 10 });
    const error = await queue.result(bad.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/job\.metric/);
    expect(await queue.status(bad.id)).toMatchObject({ state: 'failed', attemptsMade: 1 });

    const foreign = await queue.add({ v: 2, job: { KIND: 'ExampleJob' } } as never);
    await expect(queue.result(foreign.id)).rejects.toThrow(/not an mlops-kit job payload/);
  });

  it('status of an unknown id is unknown, and waiting for it says so', async () => {
    expect(await queue.status('nope')).toEqual({ id: 'nope', state: 'unknown', attemptsMade: 0 });
    await expect(queue.result('nope')).rejects.toThrow(MlopsError);
  });
});
