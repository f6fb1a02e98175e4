import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { LocalTracker } from '../../src/infrastructure/tracking/local';
import { runCli } from '../support/cli';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { startWorkerProcess, stopWorkerProcess, type WorkerProcess } from '../support/worker-process';

const JOBS = path.resolve(__dirname, '../fixtures/jobs/queue-jobs.js');
// secrets both sides hold in their environment: none of them may ever be written to Redis
const SECRETS = { MLFLOW_TRACKING_TOKEN: 'tok-5e3c1b7a9f', MLFLOW_TRACKING_PASSWORD: 'pw-8d2e4f6a1c', AWS_SECRET_ACCESS_KEY: 'aws-0f9e8d7c6b' };

describe('mlops-kit worker / submit (real redis-server, real worker processes)', () => {
  let redis: RedisServer;
  let dir: string;
  let client: Redis;
  const workers: WorkerProcess[] = [];

  const worker = async (name: string, extra: string[] = []): Promise<WorkerProcess> => {
    const w = await startWorkerProcess(['svc.yaml', '--queue', redis.url, '--name', name, '--require', JOBS, ...extra], { cwd: dir, env: SECRETS });
    workers.push(w);
    return w;
  };
  const submit = (name: string, args: string[]) => runCli(['submit', ...args, '--queue', redis.url, '--name', name], { cwd: dir, env: SECRETS });

  beforeAll(async () => {
    redis = await startRedisServer();
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
    dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-queue-e2e-'));
    await writeFile(path.join(dir, 'svc.yaml'), 'tracking: { uri: ./mlruns }\n');
    await writeFile(path.join(dir, 'example.yaml'), 'tracking:\n  uri: ./mlruns\n  password: ${MLFLOW_TRACKING_PASSWORD}\njob:\n  KIND: ExampleJob\n  value: 5\n');
    await writeFile(path.join(dir, 'typo.yaml'), 'job:\n  KIND: ExampleJob\n  vlaue: 5\n');
    await writeFile(path.join(dir, 'plain.yaml'), 'job:\n  KIND: ExampleJob\n');
    await writeFile(path.join(dir, 'fail.yaml'), 'job:\n  KIND: FailJob\n');
    await writeFile(path.join(dir, 'spin.yaml'), 'job:\n  KIND: SpinJob\n  ms: 1\n');
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => stopWorkerProcess(w, 'SIGKILL')));
  });
  // a failed beforeAll leaves these unset: say nothing more than its own error
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('submit --wait → a worker runs it → prints the result, exit 0; without --wait prints the id', async () => {
    await worker('ok');
    const waited = await submit('ok', ['example.yaml', '--wait']);
    expect({ code: waited.code, stderr: waited.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(waited.stdout)).toMatchObject({ kind: 'ExampleJob', metric: 'demo_metric', value: 5 });

    const queued = await submit('ok', ['example.yaml']);
    expect(queued.code).toBe(0);
    expect(JSON.parse(queued.stdout)).toEqual({ id: expect.any(String), queue: 'ok', kind: 'ExampleJob' });
  });

  it('an invalid config is the usual one-line error, exit 2, and nothing is enqueued', async () => {
    const { code, stdout, stderr } = await submit('typo', ['typo.yaml', '--wait']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^mlops-kit: CONFIG_INVALID: typo\.yaml: job\.vlaue: unknown key "vlaue"/)]);
    expect(await client.keys('bull:typo:*')).toEqual([]);
  });

  it("--wait exits with the job's exit code: 1 for a failed job, 2 for a config error the worker found", async () => {
    await worker('codes');
    const failed = await submit('codes', ['fail.yaml', '--require', JOBS, '--wait']);
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim()).toBe('mlops-kit: JOB_FAILED: FailJob failed on purpose');
    // the submitter knows SpinJob (--require), this worker does not: the worker rejects the config, unretried
    const unknown = await startWorkerProcess(['svc.yaml', '--queue', redis.url, '--name', 'plain'], { cwd: dir });
    workers.push(unknown);
    const rejected = await submit('plain', ['spin.yaml', '--require', JOBS, '--attempts', '3', '--wait']);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toMatch(/^mlops-kit: CONFIG_UNKNOWN_KIND: .*job\.KIND: unknown KIND "SpinJob"/);
  });

  it('a bad --queue URL or --concurrency is a usage error (exit 2)', async () => {
    const url = await runCli(['submit', 'plain.yaml', '--queue', 'http://x'], { cwd: dir });
    expect(url.code).toBe(2);
    expect(url.stderr).toMatch(/queue url: unsupported scheme "http:"/);
    const concurrency = await runCli(['worker', '--queue', redis.url, '--concurrency', '0'], { cwd: dir });
    expect(concurrency.code).toBe(2);
    expect(concurrency.stderr).toMatch(/--concurrency: "0" is not a whole number >= 1/);
  });

  it('SIGTERM drains: the running job finishes, then the worker exits 143', async () => {
    const w = await worker('drain');
    await writeFile(path.join(dir, 'hold.yaml'), 'job:\n  KIND: ExampleJob\n  holdMs: 1500\n');
    const waiting = submit('drain', ['hold.yaml', '--wait']);
    await until(async () => (await client.llen(`bull:drain:active`)) > 0);
    w.child.kill('SIGTERM');
    expect((await w.exited).code).toBe(143);
    expect((await waiting).code).toBe(0);
  });

  it('SIGTERM past --drain-ms: the job is interrupted (run KILLED) and handed back; another worker finishes it', async () => {
    const first = await worker('handback', ['--drain-ms', '200']);
    await writeFile(path.join(dir, 'long.yaml'), 'job:\n  KIND: ExampleJob\n  holdMs: 2500\n');
    const waiting = submit('handback', ['long.yaml', '--wait']);
    const id = await until(async () => (await client.lrange('bull:handback:active', 0, -1))[0]);
    await until(async () => (await client.llen(`bull:handback:${id}:logs`)) > 0);
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(143);
    expect(first.stderr()).toMatch(/still running after 200 ms; interrupting them and handing them back/);
    // handed back without spending an attempt: it waits for the next worker
    expect(await client.hget(`bull:handback:${id}`, 'atm')).not.toBe('1');
    await worker('handback');
    const done = await waiting;
    expect({ code: done.code, stderr: done.stderr }).toEqual({ code: 0, stderr: '' });
    const runIds = (await client.lrange(`bull:handback:${id}:logs`, 0, -1)).map((line) => line.replace(/^run /, ''));
    const tracker = new LocalTracker({ root: path.join(dir, 'mlruns') });
    await tracker.start();
    const statuses = await Promise.all(runIds.map(async (runId) => (await tracker.getRun(runId)).info.status));
    expect(statuses).toEqual(['KILLED', 'FINISHED']);
    await tracker.stop();
  });

  it('a worker SIGKILLed mid-job: another worker re-runs it (stalled check); the abandoned run ends KILLED', async () => {
    const fast = ['--lock-ms', '1000', '--stalled-ms', '300'];
    const first = await worker('stall', fast);
    await writeFile(path.join(dir, 'hold.yaml'), 'job:\n  KIND: ExampleJob\n  holdMs: 2000\n');
    const waiting = submit('stall', ['hold.yaml', '--wait']);
    // wait until the first worker has created (and recorded) its run, then kill it outright
    const id = await until(async () => (await client.lrange('bull:stall:active', 0, -1))[0]);
    await until(async () => (await client.llen(`bull:stall:${id}:logs`)) > 0);
    await stopWorkerProcess(first, 'SIGKILL');
    await worker('stall', fast);
    const done = await waiting;
    expect({ code: done.code, stderr: done.stderr }).toEqual({ code: 0, stderr: '' });
    const finishedRunId = JSON.parse(done.stdout).runId as string;

    const logs = await client.lrange(`bull:stall:${id}:logs`, 0, -1);
    const runIds = logs.map((line) => line.replace(/^run /, ''));
    expect(runIds).toHaveLength(2);
    const tracker = new LocalTracker({ root: path.join(dir, 'mlruns') });
    await tracker.start();
    const statuses = await Promise.all(runIds.map(async (runId) => (await tracker.getRun(runId)).info.status));
    expect(Object.fromEntries(runIds.map((r, i) => [r === finishedRunId ? 'rerun' : 'abandoned', statuses[i]]))).toEqual({ abandoned: 'KILLED', rerun: 'FINISHED' });
    await tracker.stop();
  });

  it('Redis restarted mid-job: the worker and the waiting submitter reconnect and the job completes', async () => {
    await worker('restart');
    await writeFile(path.join(dir, 'hold.yaml'), 'job:\n  KIND: ExampleJob\n  holdMs: 2000\n');
    const waiting = submit('restart', ['hold.yaml', '--wait']);
    await until(async () => (await client.llen('bull:restart:active')) > 0);
    await redis.restart({ downMs: 500 });
    const done = await waiting;
    expect({ code: done.code, stderr: done.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(done.stdout)).toMatchObject({ kind: 'ExampleJob', value: 1 });
  });

  it('ExperimentJob on workers: branches fan out as queue jobs; a worker SIGKILLed mid-branch is covered, the branch counted once', async () => {
    // branches train synchronously for ~1 s: the lock (renewed every lock-ms/2) must outlive that stretch
    const fast = ['--lock-ms', '4000', '--stalled-ms', '300'];
    await worker('exp', fast);
    await writeFile(
      path.join(dir, 'exp.yaml'),
      'tracking: { uri: ./mlruns }\njob:\n  KIND: ExperimentJob\n  name: queued-sweep\n  base: { rows: 8000, epochs: 800 }\n  grid: { l2: [0, 0.01, 0.1, 0.5, 1, 2] }\n',
    );
    const waiting = submit('exp', ['exp.yaml', '--wait']);
    await until(async () => (await client.llen('bull:exp:active')) > 0);
    const victim = await worker('exp', fast);
    // kill the second worker once it holds a branch whose nested run exists
    const branchId = await until(async () => {
      for (const id of await client.lrange('bull:exp.branches:active', 0, -1)) {
        const by = await client.hget(`bull:exp.branches:${id}`, 'pb');
        if (by?.endsWith(`:${victim.child.pid}`) && (await client.llen(`bull:exp.branches:${id}:logs`)) > 0) return id;
      }
      return undefined;
    });
    await stopWorkerProcess(victim, 'SIGKILL');
    await worker('exp', fast);
    const done = await waiting;
    expect({ code: done.code, stderr: done.stderr }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(done.stdout);
    expect(result).toMatchObject({ kind: 'ExperimentJob', total: 6, succeeded: 6, failed: 0, skipped: 0 });

    const tracker = new LocalTracker({ root: path.join(dir, 'mlruns') });
    await tracker.start();
    const runs = (await tracker.searchRuns({ experimentIds: [result.experimentId], maxResults: 100 })).items.filter((r) => r.data.tags['mlflow.parentRunId'] === result.parentRunId);
    const abandonedRunId = (await client.lrange(`bull:exp.branches:${branchId}:logs`, 0, 0))[0]!.replace(/^run /, '');
    const statuses = runs.map((r) => (r.info.runId === abandonedRunId ? `abandoned:${r.info.status}` : r.info.status)).sort();
    expect(statuses).toEqual(['FINISHED', 'FINISHED', 'FINISHED', 'FINISHED', 'FINISHED', 'FINISHED', 'abandoned:KILLED']);
    await tracker.stop();
  });

  it('Redis restarted mid-sweep: workers and the submitter reconnect, the sweep completes with every branch once', async () => {
    await worker('sweep');
    await worker('sweep');
    await writeFile(
      path.join(dir, 'sweep.yaml'),
      'tracking: { uri: ./mlruns }\njob:\n  KIND: ExperimentJob\n  name: restart-sweep\n  base: { rows: 4000, epochs: 400 }\n  grid: { l2: [0, 0.01, 0.1, 0.5, 1, 2, 3, 4] }\n',
    );
    const waiting = submit('sweep', ['sweep.yaml', '--wait']);
    await until(async () => (await client.llen('bull:sweep.branches:active')) > 0);
    await redis.restart({ downMs: 500 });
    const done = await waiting;
    expect({ code: done.code, stderr: done.stderr }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(done.stdout);
    expect(result).toMatchObject({ kind: 'ExperimentJob', total: 8, succeeded: 8, failed: 0, skipped: 0 });
    const tracker = new LocalTracker({ root: path.join(dir, 'mlruns') });
    await tracker.start();
    const runs = (await tracker.searchRuns({ experimentIds: [result.experimentId], maxResults: 100 })).items.filter((r) => r.data.tags['mlflow.parentRunId'] === result.parentRunId);
    expect(runs.map((r) => r.info.status)).toEqual(Array(8).fill('FINISHED'));
    await tracker.stop();
  });

  it("Redis holds none of the test's secrets (env tokens and passwords of both sides)", async () => {
    await worker('secrets');
    expect((await submit('secrets', ['example.yaml', '--wait'])).code).toBe(0);
    const dump = await dumpRedis(client);
    expect(dump).toContain('ExampleJob');
    for (const secret of Object.values(SECRETS)) expect(dump).not.toContain(secret);
  });
});

/** Every key and value in Redis as text, read by type (what `redis-cli --scan` + GET/HGETALL/… would show). */
async function dumpRedis(client: Redis): Promise<string> {
  const lines: string[] = [];
  for (const key of await client.keys('*')) {
    const type = await client.type(key);
    const value =
      type === 'string' ? await client.get(key)
      : type === 'hash' ? await client.hgetall(key)
      : type === 'list' ? await client.lrange(key, 0, -1)
      : type === 'set' ? await client.smembers(key)
      : type === 'zset' ? await client.zrange(key, 0, -1, 'WITHSCORES')
      : type === 'stream' ? await client.xrange(key, '-', '+')
      : `(${type})`;
    lines.push(`${key} ${JSON.stringify(value)}`);
  }
  return lines.join('\n');
}

/** Polls `probe` until it returns a truthy value (at most 15 s). */
async function until<T>(probe: () => Promise<T>): Promise<NonNullable<T>> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error('condition not met within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
