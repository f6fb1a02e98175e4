import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LogBatcher, type LogBatch } from '../../../src/infrastructure/tracking/mlflow/log-batcher';

/**
 * A caller that never awaits logs past the batcher's hard limit: with a journal directory, the overflow
 * goes to disk synchronously (memory stays flat) and is handed to the undeliverable handler on close,
 * every entry exactly once, in order, NaN intact.
 */
describe('LogBatcher overflow journal', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-journal-')); });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('journals entries past the hard limit and hands them over on close, exactly once and in order', async () => {
    const sent: number[] = [];
    const handedOver: LogBatch[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const batcher = new LogBatcher({
      // the server is stuck until the producer is done, so everything past the hard limit overflows
      send: async (_runId, batch) => {
        await gate;
        sent.push(...batch.metrics.map((m) => m.step));
      },
      maxQueuedEntries: 100,
      hardLimitEntries: 500,
      overflowJournalDir: path.join(dir, '.overflow'),
      onUndeliverable: async (_runId, batch) => {
        handedOver.push(batch);
      },
    });
    for (let step = 0; step < 5_000; step++) void batcher.enqueueMetric('run1', { key: 'loss', value: step === 4_999 ? NaN : step, timestamp: 1, step });
    void batcher.enqueueParam('run1', 'lr', '0.1'); // overflows too
    void batcher.enqueueTag('run1', 'note', 'ünïcødé ✓ '.repeat(40_000)); // ~480 KB: crosses the reader's 256 KiB chunks
    expect((await readdir(path.join(dir, '.overflow'))).length).toBe(1); // written while the producer ran
    release();
    await batcher.close();

    const overflowSteps = handedOver.flatMap((b) => b.metrics.map((m) => m.step));
    expect([...sent, ...overflowSteps].sort((a, b) => a - b)).toEqual([...Array(5_000).keys()]);
    expect(overflowSteps).toEqual([...overflowSteps].sort((a, b) => a - b));
    expect(handedOver.every((b) => b.metrics.length <= 1000)).toBe(true);
    expect(Number.isNaN(handedOver.at(-1)!.metrics.at(-1)!.value)).toBe(true);
    expect(handedOver.flatMap((b) => b.params)).toEqual([{ key: 'lr', value: '0.1' }]);
    expect(handedOver.flatMap((b) => b.tags)).toEqual([{ key: 'note', value: 'ünïcødé ✓ '.repeat(40_000) }]);
    expect(batcher.counters.overflowEntries).toBe(5_002 - 500);
    expect(await readdir(path.join(dir, '.overflow'))).toEqual([]); // journal removed once handed over
  });
});
