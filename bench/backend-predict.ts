import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildBackend, post, startBackend } from '../tests/integration/backend/backend-harness';
import { median, percentile, printTable } from './table';

const CLIENTS = 50;
const REQUESTS = 4_000;
const ROW = { hour: 8, temperature: 14.5, humidity: 0.6, windspeed: 10, workingday: 1, holiday: 0, rush_hour: 1 };

/**
 * The example backend serving a model on its request path: `examples/backend` as a real child process on
 * the local store, a model trained and promoted through its own endpoints, then 50 clients in this
 * process sending 4,000 `POST /predict/:model` requests (one row each, keep-alive) as fast as answers
 * come. Reports p50/p99 latency and requests/s; client and server share the machine's two cores.
 */
export async function benchBackendPredict(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-backend-'));
  const backend = await startBackend(buildBackend(), { MLFLOW_TRACKING_URI: path.join(dir, 'mlruns'), MLOPS_CONFIG: 'mlops.yaml' });
  try {
    await post(`${backend.url}/train`, { model: 'bench-bikes', epochs: 30 });
    await post(`${backend.url}/promote`, { model: 'bench-bikes' });
    const url = `${backend.url}/predict/bench-bikes`;
    const body = { dataframe_records: [ROW] };
    for (let i = 0; i < 100; i++) await post(url, body); // warm: model loaded, connections open, code optimised

    const latencies: number[] = [];
    let errors = 0;
    let next = 0;
    const started = process.hrtime.bigint();
    const client = async () => {
      while (next++ < REQUESTS) {
        const t = process.hrtime.bigint();
        const { status } = await post(url, body);
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (status !== 200) errors += 1;
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    printTable(`Example backend POST /predict/:model: ${REQUESTS.toLocaleString('en-US')} requests, ${CLIENTS} concurrent clients, one row each (local store, ONNX)`, [
      { requests: latencies.length, 'req/s': Math.round(latencies.length / seconds), 'p50 ms': median(latencies), 'p99 ms': percentile(latencies, 0.99), errors },
    ]);
  } finally {
    backend.child.kill('SIGTERM');
    await backend.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}
