import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createContainer, createRuntime, TYPES } from '../src';
import { MemoryAlerter } from '../src/entries/testing';
import { MlflowTestServer } from '../tests/support/mlflow-server';
import { median, percentile, printTable } from './table';

const JOBS = 1_000;
const CONCURRENCY = 20;

interface Outcome {
  label: string;
  latencies: number[];
  errors: number;
  seconds: number;
}

/**
 * Jobs through one runtime: 1,000 PromotionJobs against the loopback MLflow server, 20 at a time,
 * (a) on one started runtime, as a backend runs them, and (b) with a container + runtime built, started
 * and closed per job (the workaround apps used before). Both log to a JSON file as an app would. Reports
 * jobs/s, p50/p99 latency and errors.
 */
export async function benchJobRuntime(): Promise<void> {
  const server = await MlflowTestServer.start();
  server.recordBodies = false;
  const spill = mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-runtime-'));
  try {
    // what an app configures: a JSON log file (not the terminal, to keep the tables readable) and its own
    // alerter (in memory here, so 2,000 alerts print nothing); both setups use exactly the same
    const config = { logging: { sink: path.join(spill, 'bench.log'), format: 'json' as const }, tracking: { uri: server.uri, spillDir: spill } };
    const overrides = () => ({ [TYPES.Alerter]: new MemoryAlerter() });
    await seed(createContainer({ config, overrides: overrides() }));
    const job = { KIND: 'PromotionJob', model: 'bench-model', alias: 'Champion', version: 1 } as const;

    const shared = createRuntime(createContainer({ config, overrides: overrides() }));
    await shared.start({ services: ['registry'] });
    const one = await drive('one started runtime', (/* i */) => shared.run(job));
    await shared.close();

    const perJob = await drive('a container per job', async () => {
      const runtime = createRuntime(createContainer({ config, overrides: overrides() }));
      await runtime.start();
      try {
        return await runtime.run(job);
      } finally {
        await runtime.close();
      }
    });

    const row = (o: Outcome) => ({
      setup: o.label,
      'jobs/s': Math.round(JOBS / o.seconds),
      'p50 ms': median(o.latencies),
      'p99 ms': percentile(o.latencies, 0.99),
      errors: o.errors,
    });
    printTable(`Jobs through one runtime: ${JOBS.toLocaleString('en-US')} PromotionJobs, ${CONCURRENCY} at a time → loopback MLflow`, [
      row(one),
      row(perJob),
      { setup: 'ratio (one runtime / per job)', 'jobs/s': `${(perJob.seconds / one.seconds).toFixed(1)}×`, 'p50 ms': '', 'p99 ms': '', errors: '' },
    ]);
  } finally {
    await server.stop();
    rmSync(spill, { recursive: true, force: true });
  }
}

async function seed(container: ReturnType<typeof createContainer>): Promise<void> {
  const runtime = createRuntime(container);
  await runtime.start();
  await runtime.run({ KIND: 'TrainingJob', model: 'bench-model', epochs: 5, rows: 50 });
  await runtime.close();
}

async function drive(label: string, runOne: (i: number) => Promise<unknown>): Promise<Outcome> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < JOBS) {
      const i = next++;
      const t = process.hrtime.bigint();
      try {
        await runOne(i);
      } catch {
        errors += 1;
      }
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { label, latencies, errors, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}
