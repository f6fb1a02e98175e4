import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { IN_PROCESS_BRANCHES, type BranchExecutor } from '../../../src/application/experiments/branch-executor';
import { ExperimentJob } from '../../../src/application/jobs/experiment-job';
import { ErrorCodes, MlopsError } from '../../../src/domain/errors';
import { MlflowTags } from '../../../src/domain/model/run';
import { TYPES } from '../../../src/domain/tokens';
import { createTestContainer } from '../../../src/infrastructure/container';
import { redisConnection, startQueueWorker, type QueueWorker } from '../../../src/infrastructure/queue';
import { QueueBranchExecutor } from '../../../src/infrastructure/queue/queue-branch-executor';
import { memoryServices } from '../../unit/jobs/job-services';
import { startRedisServer, type RedisServer } from '../../support/redis-server';

class FakeStream {
  chunks: string[] = [];
  readonly isTTY = true;
  onWrite: (chunk: string) => unknown = () => undefined;
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    this.onWrite(chunk);
    return true;
  }
}

interface Harness {
  executor: BranchExecutor;
  close(): Promise<void>;
}
type Env = ReturnType<typeof memoryServices>;

let redis: RedisServer;
let dir: string;
let queueCount = 0;
beforeAll(async () => {
  redis = await startRedisServer();
  dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-branches-'));
});
// a failed beforeAll leaves these unset: say nothing more than its own error
afterAll(async () => {
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The same behaviour, whichever executor runs the branches: in this process, or as queue jobs on a worker. */
const executors: Array<[string, (env: Env) => Promise<Harness>]> = [
  ['in-process', async () => ({ executor: IN_PROCESS_BRANCHES, close: async () => undefined })],
  [
    'queue (BullMQ worker, concurrency 2)',
    async (env) => {
      const name = `branches-${++queueCount}`;
      // the worker's container uses the same tracker, as workers share one MLflow server
      const worker: QueueWorker = await startQueueWorker({ container: createTestContainer({ overrides: { [TYPES.Tracker]: env.tracker } }), url: redis.url, name, concurrency: 2 });
      const executor = new QueueBranchExecutor(redisConnection(redis.url), name, 200);
      return { executor, close: async () => void (await Promise.all([executor.close(), worker.close()])) };
    },
  ],
];

describe.each(executors)('ExperimentJob branches, %s', (label, makeHarness) => {
  let env: Env;
  let harness: Harness;
  beforeEach(async () => {
    env = memoryServices();
    await env.tracker.start();
    harness = await makeHarness(env);
  });
  afterEach(async () => harness.close());

  const children = (parentRunId: string) => env.tracker.runs().filter((r) => r.data.tags[MlflowTags.PARENT_RUN_ID] === parentRunId);

  it('every branch is a nested run under the parent; counts, best and the progress line as always', async () => {
    const stream = new FakeStream();
    const job = new ExperimentJob(env.services, { KIND: 'ExperimentJob', name: 'sweep', base: { rows: 120, epochs: 20 }, grid: { l2: [0, 0.1, 1] } }, { progressStream: stream, branches: harness.executor });
    const result = await job.execute();
    expect(result).toMatchObject({ total: 3, succeeded: 3, failed: 0, skipped: 0 });
    const runs = children(result.parentRunId);
    expect(runs.map((r) => [r.info.status, r.data.tags['branch.status'], r.data.tags['branch.retryCount']])).toEqual(Array(3).fill(['FINISHED', 'success', '0']));
    expect(result.best.rmse).toBe(Math.min(...runs.map((r) => r.data.metrics.rmse!.value)));
    expect(stream.chunks.at(-2)).toBe('\r\x1b[2Ksweep: 3/3 done · 0 running · 0 failed · 0 skipped');
  });

  it('a failing branch is retried `retries` times on one run, then counted failed with its exception', async () => {
    const missing = path.join(dir, 'missing.csv');
    const job = new ExperimentJob(
      env.services,
      { KIND: 'ExperimentJob', name: 'retry', base: { rows: 120, epochs: 10 }, variants: [{ l2: 0 }, { l2: 0.5, dataPath: missing }], retries: 2, retryBackoffMs: 10 },
      { progressStream: new FakeStream(), branches: harness.executor },
    );
    const result = await job.execute();
    expect(result).toMatchObject({ total: 2, succeeded: 1, failed: 1, skipped: 0 });
    const failed = children(result.parentRunId).filter((r) => r.info.status !== 'FINISHED');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.info.status).toBe('FAILED');
    expect(failed[0]!.data.tags).toMatchObject({ 'branch.status': 'failed', 'branch.retryCount': '2', 'exception.type': 'ConfigError' });
    expect(failed[0]!.data.tags['exception.message']).toContain('missing.csv');
  });

  it('cancelled mid-sweep: the job ends interrupted, its parent run KILLED, branches not started skipped', async () => {
    const controller = new AbortController();
    const variants = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7].map((l2) => ({ l2 }));
    // cancel as soon as the progress line shows the first branch done (the line is drawn synchronously)
    const stream = new FakeStream();
    stream.onWrite = (chunk) => chunk.includes(' 1/8 done') && controller.abort('cancelled');
    const job = new ExperimentJob(
      { ...env.services, signal: controller.signal },
      { KIND: 'ExperimentJob', name: 'cancel', base: { rows: 3000, epochs: 300 }, variants, concurrency: 1 },
      { progressStream: stream, branches: harness.executor },
    );
    await expect(job.execute()).rejects.toMatchObject({ code: ErrorCodes.JOB_INTERRUPTED });
    const parent = env.tracker.runs().find((r) => r.info.runName === 'cancel')!;
    expect(parent.info.status).toBe('KILLED');
    // branches never started are counted as skipped on the parent; once interrupted no new run is opened
    // (a run created while the process exits could be cut in half). In-process, the running branch is
    // aborted too; on workers it finishes under the KILLED parent (README: Queue, faults)
    expect(Number(parent.data.tags['branches.skipped'])).toBeGreaterThan(0);
    const branchRuns = children(parent.info.runId);
    if (label.startsWith('in-process')) expect(branchRuns.filter((r) => r.info.status === 'RUNNING')).toEqual([]);
    for (const run of branchRuns.filter((r) => r.data.tags['branch.status'] === 'skipped')) expect(run.info.status).toBe('KILLED');
  });

  it('failFast: after the first failure, branches not started are skipped (KILLED runs) and the job fails', async () => {
    const missing = path.join(dir, 'missing.csv');
    const variants = [{ l2: 0, dataPath: missing }, ...[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7].map((l2) => ({ l2, epochs: 400 }))];
    const job = new ExperimentJob(
      env.services,
      { KIND: 'ExperimentJob', name: 'ff', base: { rows: 2000 }, variants, failFast: true, concurrency: 1 },
      { progressStream: new FakeStream(), branches: harness.executor },
    );
    const error = await job.execute().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MlopsError);
    expect((error as MlopsError).code).toBe(ErrorCodes.JOB_FAILED);
    const details = (error as MlopsError).details as { total: number; success: number; failed: number; skipped: number };
    expect(details.failed).toBe(1);
    expect(details.skipped).toBeGreaterThan(0);
    expect(details.success + details.failed + details.skipped).toBe(8);
    const parentRunId = (error as MlopsError).details.parentRunId as string;
    const skipped = children(parentRunId).filter((r) => r.data.tags['branch.status'] === 'skipped');
    expect(skipped).toHaveLength(details.skipped);
    for (const run of skipped) expect(run.info.status).toBe('KILLED');
  });
});
