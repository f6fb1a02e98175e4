import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serializeLogBatch, type LogBatchBody } from '../../../src/infrastructure/tracking/mlflow/log-batch-json';
import type { LogBatch } from '../../../src/infrastructure/tracking/shared/log-batch';
import { LogBatcher } from '../../../src/infrastructure/tracking/mlflow/log-batcher';
import { BatchRecorder, metric, settleIo } from './batch-recorder';

const runIds = Array.from({ length: 6 }, (_, i) => `${i}`.repeat(32));

describe('LogBatcher delivery', () => {
  it('keeps each run in order while several runs send in parallel, one request per run and at most 4 at once', async () => {
    const recorder = new BatchRecorder();
    let seed = 7;
    recorder.delay = () => (seed = (seed * 48271) % 2147483647) % 5; // shuffled completion order, deterministic
    const batcher = new LogBatcher({ send: recorder.send, flushIntervalMs: 5 });
    const perRun = 3000;
    await Promise.all(
      runIds.map(async (runId, r) => {
        for (let i = 0; i < perRun; i++) {
          if (i % 700 === 0) await batcher.enqueueTag(runId, 'phase', `p${i}`);
          await batcher.enqueueMetric(runId, metric('loss', r * 1e6 + i, i));
        }
      }),
    );
    await batcher.close();

    for (const [r, runId] of runIds.entries()) {
      expect(recorder.metricValues(runId)).toEqual(Array.from({ length: perRun }, (_, i) => r * 1e6 + i));
      expect(recorder.forRun(runId).flatMap((s) => s.batch.tags.map((t) => t.value))).toEqual(['p0', 'p700', 'p1400', 'p2100', 'p2800']);
    }
    expect(recorder.maxInFlightPerRun).toBe(1);
    expect(recorder.maxInFlight).toBeGreaterThan(1);
    expect(recorder.maxInFlight).toBeLessThanOrEqual(4);
    const c = batcher.counters;
    expect(c.sentMetrics).toBe(perRun * runIds.length);
    expect(c.sentTags).toBe(5 * runIds.length);
    expect(c.sentBatches).toBe(recorder.sent.length);
    expect(c.queued).toBe(0);
    expect(c.inFlight).toBe(0);
  });

  it('sends a partial batch on the interval, without flush or close', async () => {
    let delivered!: (batch: LogBatch) => void;
    const arrived = new Promise<LogBatch>((resolve) => (delivered = resolve));
    const batcher = new LogBatcher({ send: async (_runId, batch) => delivered(batch), flushIntervalMs: 20 });
    await batcher.enqueueMetric(runIds[0]!, metric('acc', 0.5));
    await batcher.enqueueParam(runIds[0]!, 'seed', '42');
    expect(await arrived).toEqual({ metrics: [metric('acc', 0.5)], params: [{ key: 'seed', value: '42' }], tags: [] });
    await batcher.close();
  });

  it('flush(runId) delivers that run only; close() delivers the rest and then refuses new entries', async () => {
    const recorder = new BatchRecorder();
    const batcher = new LogBatcher({ send: recorder.send, flushIntervalMs: 60_000 });
    await batcher.enqueueMetric(runIds[0]!, metric('a', 1));
    await batcher.enqueueMetric(runIds[1]!, metric('b', 2));
    await batcher.flush(runIds[0]!);
    expect(recorder.sent.map((s) => s.runId)).toEqual([runIds[0]]);

    await batcher.close();
    expect(recorder.sent.map((s) => s.runId)).toEqual([runIds[0], runIds[1]]);
    await expect(batcher.enqueueMetric(runIds[1]!, metric('b', 3))).rejects.toThrow(/closed/);
    await batcher.close(); // idempotent
    expect(recorder.sent).toHaveLength(2);
  });

  it('returns one shared, already-resolved promise while below the bound', async () => {
    const batcher = new LogBatcher({ send: async () => undefined, flushIntervalMs: 60_000 });
    const first = batcher.enqueueMetric(runIds[0]!, metric('a', 1));
    const second = batcher.enqueueMetric(runIds[1]!, metric('a', 2));
    const third = batcher.enqueueTag(runIds[1]!, 'k', 'v');
    expect(second).toBe(first);
    expect(third).toBe(first);
    await batcher.close();
  });

  it('does not keep the process alive: a pending interval timer is unref()ed', async () => {
    const batcher = new LogBatcher({ send: async () => undefined, flushIntervalMs: 60_000 });
    await batcher.enqueueMetric(runIds[0]!, metric('a', 1));
    const timer = (batcher as unknown as { timer: NodeJS.Timeout }).timer;
    expect(timer.hasRef()).toBe(false);
    await batcher.close();
  });

  it('posts real log-batch requests to a loopback server with the body MLflow expects', async () => {
    const bodies: unknown[] = [];
    const server = http.createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (text += chunk));
      req.on('end', () => {
        bodies.push({ url: req.url, type: req.headers['content-type'], bytes: Buffer.byteLength(text), body: JSON.parse(text) });
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const send = (runId: string, batch: LogBatch): Promise<void> =>
      fetch(`http://127.0.0.1:${port}/api/2.0/mlflow/runs/log-batch`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: serializeLogBatch(runId, batch),
      }).then((r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
      });
    try {
      const batcher = new LogBatcher({ send, flushIntervalMs: 60_000 });
      for (let i = 0; i < 1200; i++) await batcher.enqueueMetric(runIds[2]!, metric('loss', i === 5 ? Number.NaN : i / 10, i));
      await batcher.enqueueParam(runIds[2]!, 'optimizer', 'adam');
      await batcher.close();
      await settleIo();
      expect(bodies).toHaveLength(2);
      const [first, second] = bodies as { url: string; type: string; body: LogBatchBody }[];
      expect(first!.url).toBe('/api/2.0/mlflow/runs/log-batch');
      expect(first!.type).toBe('application/json');
      expect(first!.body.run_id).toBe(runIds[2]);
      expect(first!.body.metrics).toHaveLength(1000);
      expect(first!.body.metrics[5]).toEqual({ key: 'loss', value: 'NaN', timestamp: 1_700_000_000_005, step: 5 });
      expect(second!.body.metrics).toHaveLength(200);
      expect(second!.body.params).toEqual([{ key: 'optimizer', value: 'adam' }]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
