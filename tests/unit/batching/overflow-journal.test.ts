import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LogBatch } from '../../../src/infrastructure/tracking/shared/log-batch';
import { LogBatcher } from '../../../src/infrastructure/tracking/mlflow/log-batcher';

/**
 * A caller that never awaits logs past the batcher's hard limit. With a journal directory the queue
 * extends to disk (written synchronously while the producer runs) and is fed back as the server makes
 * room: the server receives every entry exactly once, in logging order, NaN and non-ASCII intact.
 */
describe('LogBatcher overflow journal', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-journal-')); });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  const produce = (batcher: LogBatcher) => {
    for (let step = 0; step < 5_000; step++) void batcher.enqueueMetric('run1', { key: 'loss', value: step === 4_999 ? NaN : step, timestamp: 1, step });
    void batcher.enqueueParam('run1', 'lr', '0.1');
    void batcher.enqueueTag('run1', 'note', 'ünïcødé ✓ '.repeat(40_000)); // ~480 KB: crosses the reader's 256 KiB chunks
  };

  it('sends everything to the server, in order, once the server catches up; memory holds only the bound', async () => {
    const sent: LogBatch[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const batcher = new LogBatcher({
      send: async (_runId, batch) => {
        await gate; // the server is stuck until the producer is done
        sent.push(batch);
      },
      maxQueuedEntries: 50, // hard limit 500
      overflowJournalDir: path.join(dir, '.overflow'),
    });
    produce(batcher);
    expect(batcher.counters.queued).toBeLessThanOrEqual(500);
    expect((await readdir(path.join(dir, '.overflow'))).length).toBeGreaterThan(0); // journaled while the producer ran
    release();
    await batcher.close();

    const steps = sent.flatMap((b) => b.metrics.map((m) => m.step));
    expect(steps).toEqual([...Array(5_000).keys()]);
    expect(Number.isNaN(sent.flatMap((b) => b.metrics).at(-1)!.value)).toBe(true);
    expect(sent.flatMap((b) => b.params)).toEqual([{ key: 'lr', value: '0.1' }]);
    expect(sent.flatMap((b) => b.tags)).toEqual([{ key: 'note', value: 'ünïcødé ✓ '.repeat(40_000) }]);
    expect(batcher.counters.peakQueued).toBeLessThanOrEqual(500);
    expect(batcher.counters.overflowEntries).toBe(5_002 - 500);
    expect(await readdir(path.join(dir, '.overflow'))).toEqual([]); // journal removed once fed back
  });

  it('journaled entries the server never takes are each counted undeliverable exactly once, and close() says so', async () => {
    const batcher = new LogBatcher({
      send: async () => {
        throw new Error('server down');
      },
      maxQueuedEntries: 50, // hard limit 500
      overflowJournalDir: path.join(dir, '.overflow'),
    });
    produce(batcher);
    await expect(batcher.close()).rejects.toThrow('server down');
    expect(batcher.counters.undeliverableEntries).toBe(5_002);
  });
});
