import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ErrorCodes, TrackerUnavailableError } from '../../../src/domain/errors';
import { MemoryLogger } from '../../../src/infrastructure/logging/memory-logger';
import { LogBatcher } from '../../../src/infrastructure/tracking/mlflow/log-batcher';
import { BatchRecorder, metric, settleIo } from './batch-recorder';

const RUN = 'b'.repeat(32);
const OTHER = 'c'.repeat(32);

describe('LogBatcher backpressure', () => {
  it('makes an awaited enqueue wait while the server is slow, and never holds more than the bound', async () => {
    const recorder = new BatchRecorder();
    recorder.hold();
    const batcher = new LogBatcher({ send: recorder.send, flushIntervalMs: 60_000, maxQueuedEntries: 50 });
    let accepted = 0;
    const producer = (async () => {
      for (let i = 0; i < 200; i++) {
        await batcher.enqueueMetric(RUN, metric('loss', i, i));
        accepted++;
      }
    })();
    await settleIo();
    // the 50th entry filled the bound: the producer is parked on it, nothing was sent yet
    expect(accepted).toBe(49);
    expect(batcher.counters.queued).toBe(50);
    expect(recorder.inFlight).toBe(1); // reaching the bound sent the partial batch at once

    recorder.open();
    await producer;
    await batcher.close();
    expect(recorder.metricValues(RUN)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(batcher.counters.peakQueued).toBe(50);
    expect(batcher.counters.undeliverableEntries).toBe(0);
  });

  it('bounds memory for callers that do not await: past the hard limit entries are journaled in a private temp dir, all sent in order, one warning', async () => {
    const recorder = new BatchRecorder();
    recorder.hold();
    const logger = new MemoryLogger();
    const batcher = new LogBatcher({ send: recorder.send, flushIntervalMs: 60_000, maxQueuedEntries: 30, logger }); // hard limit 300
    for (let i = 0; i < 2000; i++) void batcher.enqueueMetric(RUN, metric('loss', i, i)); // fire and forget
    expect(batcher.counters.queued).toBe(300);
    expect(batcher.counters.overflowEntries).toBe(1700);
    const warnings = logger.messages('warn').filter((m) => /outpaces the tracking server/.test(m));
    expect(warnings).toHaveLength(1);
    const privateDir = /journaled to disk \((.+?)\)/.exec(warnings[0]!)![1]!;
    expect(path.dirname(privateDir)).toBe(os.tmpdir());
    expect(path.basename(privateDir)).toMatch(/^mlops-kit-overflow-/);
    expect((await stat(privateDir)).mode & 0o777).toBe(0o700); // other users cannot read what is logged
    expect((await readdir(privateDir)).length).toBeGreaterThan(0); // written synchronously while the producer ran

    recorder.open();
    await batcher.close();
    expect(recorder.metricValues(RUN)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    expect(batcher.counters).toMatchObject({ overflowEntries: 1700, undeliverableEntries: 0, sentMetrics: 2000, queued: 0 });
    expect(batcher.counters.peakQueued).toBeLessThanOrEqual(300);
    expect(logger.messages('warn')).toHaveLength(1);
    await expect(stat(privateDir)).rejects.toMatchObject({ code: 'ENOENT' }); // close() removed it
  });

  it('holds overflow in memory, in order, when the journal directory cannot be written, and says so once', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-batcher-ro-'));
    try {
      const notADir = path.join(dir, 'file');
      await writeFile(notADir, '');
      const recorder = new BatchRecorder();
      recorder.hold();
      const logger = new MemoryLogger();
      const batcher = new LogBatcher({
        send: recorder.send,
        flushIntervalMs: 60_000,
        maxQueuedEntries: 10, // hard limit 100
        overflowJournalDir: path.join(notADir, 'overflow'),
        logger,
      });
      for (let i = 0; i < 3500; i++) void batcher.enqueueMetric(RUN, metric('loss', i, i));
      void batcher.enqueueParam(RUN, 'lr', '0.1');
      recorder.open();
      await batcher.close();
      expect(recorder.metricValues(RUN)).toEqual(Array.from({ length: 3500 }, (_, i) => i));
      expect(recorder.forRun(RUN).flatMap((s) => s.batch.params)).toEqual([{ key: 'lr', value: '0.1' }]);
      expect(batcher.counters.undeliverableEntries).toBe(0);
      const errors = logger.messages('error');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/Cannot write the overflow journal in .*file.overflow: .*holding the entries in memory/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('remembers a batch that send() gave up on, carries on with the next ones, and throws the failure at close', async () => {
    const failure = new TrackerUnavailableError('MLflow POST runs/log-batch at http://127.0.0.1:1 kept failing', ErrorCodes.TRACKER_UNAVAILABLE);
    let calls = 0;
    const batcher = new LogBatcher({
      send: async () => {
        if (++calls === 1) throw failure;
      },
      flushIntervalMs: 60_000,
    });
    for (let i = 0; i < 1500; i++) await batcher.enqueueMetric(RUN, metric('loss', i, i));
    await expect(batcher.close()).rejects.toBe(failure);
    expect(batcher.counters).toMatchObject({ sentBatches: 1, sentMetrics: 500, undeliverableBatches: 1, undeliverableEntries: 1000 });
  });

  it('remembers the failure and throws it from the next flush of that run, once', async () => {
    const logger = new MemoryLogger();
    const failure = new Error('server down');
    const batcher = new LogBatcher({
      send: async (runId) => {
        if (runId === RUN) throw failure;
      },
      flushIntervalMs: 60_000,
      logger,
    });
    await batcher.enqueueMetric(RUN, metric('loss', 1));
    await batcher.enqueueMetric(OTHER, metric('loss', 2));
    await expect(batcher.flush(OTHER)).resolves.toBeUndefined();
    await expect(batcher.flush(RUN)).rejects.toBe(failure);
    await expect(batcher.flush(RUN)).resolves.toBeUndefined();
    expect(logger.messages('warn').join('\n')).toMatch(/Could not deliver 1 metrics, 0 params and 0 tags to run b{32}: server down/);

    await batcher.enqueueTag(RUN, 'k', 'v');
    await expect(batcher.close()).rejects.toBe(failure);
  });
});
