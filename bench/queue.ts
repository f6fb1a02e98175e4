import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createContainer, createRuntime, TYPES } from '../src';
import { MemoryAlerter, MemoryLogger } from '../src/entries/testing';
import { connectJobQueue } from '../src/infrastructure/queue';
import { startRedisServer, type RedisServer } from '../tests/support/redis-server';
import { startWorkerProcess, stopWorkerProcess, type WorkerProcess } from '../tests/support/worker-process';
import { median, printTable } from './table';

const BRANCHES = 48;
const EMPTY_JOBS = 300;
// bench runs bundled from dist-bench/, started at the repository root (npm run bench)
const JOBS_MODULE = path.resolve('tests/fixtures/jobs/queue-jobs.js');
const CLI = path.resolve('dist/cli.js');

/**
 * The queue on this machine: an ExperimentJob of 48 CPU-bound branches (~0.15 s of training each) run
 * in-process vs submitted to 1, 2 and 4 `mlops-kit worker` processes (branch concurrency 1 each; the
 * parent runs on a worker and fans its branches out), wall time from submit to result; and the queue's
 * own overhead: empty jobs submitted one at a time through submit → worker → result. Needs redis-server
 * and the built CLI (`npm run bench` builds it).
 */
export async function benchQueue(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-queue-'));
  const redis = await startRedisServer();
  try {
    writeFileSync(path.join(dir, 'svc.yaml'), `tracking: { uri: ${path.join(dir, 'mlruns')} }\n`);
    const sweep = { KIND: 'ExperimentJob', name: 'bench-sweep', base: { rows: 4000, epochs: 250 }, grid: { l2: Array.from({ length: BRANCHES }, (_, i) => i / 100) } };
    const rows: Record<string, string | number>[] = [];

    const runtime = createRuntime(
      createContainer({
        config: { tracking: { uri: path.join(dir, 'mlruns') } },
        overrides: { [TYPES.Logger]: new MemoryLogger({ level: 'warn' }), [TYPES.Alerter]: new MemoryAlerter() },
      }),
    );
    await runtime.start();
    const inProcess = await timed(() => runtime.runConfig(sweep));
    await runtime.close();
    rows.push(row('in-process (one event loop)', inProcess.seconds, inProcess.seconds));

    for (const workers of [1, 2, 4]) {
      const name = `bench-${workers}`;
      const started = await Promise.all(Array.from({ length: workers }, () => worker(redis, dir, name)));
      const queue = connectJobQueue({ url: redis.url, name, pollMs: 200 });
      try {
        const run = await timed(async () => queue.result((await queue.enqueue(sweep)).id));
        if (run.result.succeeded !== BRANCHES) throw new Error(`queue sweep: ${JSON.stringify(run.result)}`);
        rows.push(row(`${workers} worker process${workers > 1 ? 'es' : ''}`, run.seconds, inProcess.seconds));
      } finally {
        await queue.close();
        await Promise.all(started.map((w) => stopWorkerProcess(w)));
      }
    }
    const one = rows.find((r) => r.setup === '1 worker process')!;
    for (const r of rows) r['vs 1 worker'] = `${(Number(one['wall s']) / Number(r['wall s'])).toFixed(2)}×`;
    printTable(`Queue: ExperimentJob, ${BRANCHES} CPU-bound branches (${os.cpus().length} cores, redis-server ${redis.url})`, rows);

    const overheadWorker = await worker(redis, dir, 'bench-empty');
    const queue = connectJobQueue({ url: redis.url, name: 'bench-empty', pollMs: 200 });
    try {
      const latencies: number[] = [];
      const start = performance.now();
      for (let i = 0; i < EMPTY_JOBS; i++) {
        const t = performance.now();
        await queue.result((await queue.add({ v: 1, job: { KIND: 'SpinJob', ms: 0 } })).id);
        latencies.push(performance.now() - t);
      }
      const seconds = (performance.now() - start) / 1000;
      const sorted = [...latencies].sort((a, b) => a - b);
      printTable(`Queue overhead: ${EMPTY_JOBS} empty jobs one at a time, submit → worker → result (1 worker)`, [
        { 'median ms': median(latencies), 'p95 ms': sorted[Math.floor(sorted.length * 0.95)]!, 'jobs/s': Math.round(EMPTY_JOBS / seconds) },
      ]);
    } finally {
      await queue.close();
      await stopWorkerProcess(overheadWorker);
    }
  } finally {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function worker(redis: RedisServer, dir: string, name: string): Promise<WorkerProcess> {
  return startWorkerProcess(['svc.yaml', '--queue', redis.url, '--name', name, '--require', JOBS_MODULE], { cwd: dir, cli: CLI });
}

function row(setup: string, seconds: number, inProcessSeconds: number): Record<string, string | number> {
  return { setup, 'wall s': Number(seconds.toFixed(2)), 'branches/s': Number((BRANCHES / seconds).toFixed(1)), 'vs in-process': `${(inProcessSeconds / seconds).toFixed(2)}×` };
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T & Record<string, unknown>; seconds: number }> {
  const start = performance.now();
  const result = (await work()) as T & Record<string, unknown>;
  return { result, seconds: (performance.now() - start) / 1000 };
}
