import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalTracker } from '../src/infrastructure/tracking/local';
import { LocalStoreReader, StoreReplayer } from '../src/infrastructure/sync';
import { MlflowModelRegistry, MlflowTracker, resolveMlflowSettings } from '../src/infrastructure/tracking/mlflow';
import { MlflowTestServer } from '../tests/support/mlflow-server';
import { printTable } from './table';

const RUNS = 10;

/**
 * The embedded local store: 100,000 metrics over 10 runs written through LocalTracker (goal ≥ 50,000/s),
 * logged the two ways a job does it — awaiting each call, and a training loop that logs each step's
 * metrics without waiting for the previous write — with peak RSS; then `sync` of that store into the
 * loopback MLflow server, metrics/s.
 */
export async function benchLocalStore(total = 100_000): Promise<void> {
  const rows: Record<string, string | number>[] = [];
  let lastStore = '';
  for (const mode of ['awaited, runs in parallel', 'fire-and-forget per step'] as const) {
    const root = mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-local-'));
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const tracker = new LocalTracker({ root, experimentName: 'bench' });
    await tracker.start();
    const runs = await Promise.all(Array.from({ length: RUNS }, (_, i) => tracker.createRun({ runName: `bench-${i}` })));
    const perRun = total / RUNS;
    const start = process.hrtime.bigint();
    if (mode === 'awaited, runs in parallel') {
      await Promise.all(runs.map(async (run) => {
        for (let step = 0; step < perRun; step++) await tracker.logMetric(run.runId, 'loss', 1 / (step + 1), { step });
      }));
    } else {
      const pending: Promise<void>[] = [];
      for (let step = 0; step < perRun; step++) {
        for (const run of runs) pending.push(tracker.logMetric(run.runId, 'loss', 1 / (step + 1), { step }));
        if (pending.length >= 10_000) await Promise.all(pending.splice(0));
      }
      await Promise.all(pending);
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    for (const run of runs) await tracker.endRun(run.runId);
    await tracker.stop();
    clearInterval(sampler);
    rows.push({ 'local store write': mode, 'metrics/s': Math.round(total / seconds), 's': seconds, 'peak RSS MiB': Math.round(peak / 2 ** 20) });
    if (lastStore) rmSync(lastStore, { recursive: true, force: true });
    lastStore = root;
  }
  rows.push(await benchSync(lastStore, total));
  rmSync(lastStore, { recursive: true, force: true });
  printTable(`Local store: ${total.toLocaleString('en-US')} metrics over ${RUNS} runs (goal ≥ 50,000 metrics/s), then sync`, rows);
}

async function benchSync(store: string, total: number): Promise<Record<string, string | number>> {
  const server = await MlflowTestServer.start();
  server.recordBodies = false;
  try {
    const settings = resolveMlflowSettings({ uri: server.uri, experimentName: 'bench' }, {});
    const tracker = new MlflowTracker(settings);
    const registry = new MlflowModelRegistry(settings);
    await tracker.start();
    await registry.start();
    const start = process.hrtime.bigint();
    const reader = new LocalStoreReader(store);
    const replayer = new StoreReplayer(reader, tracker, registry, {});
    await replayer.replay(await reader.open());
    await tracker.stop();
    await registry.stop();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const received = [...server.store.runs.values()].reduce((n, r) => n + r.metrics.length, 0);
    return { 'local store write': `sync → loopback MLflow (${received.toLocaleString('en-US')} received)`, 'metrics/s': Math.round(total / seconds), 's': seconds, 'peak RSS MiB': '' };
  } finally {
    await server.stop();
  }
}
