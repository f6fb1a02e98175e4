import { Limits } from '../../../src/domain/model/naming-rules';
import { LogBatcher } from '../../../src/infrastructure/tracking/mlflow/log-batcher';
import { BatchRecorder, metric, settleIo } from './batch-recorder';

const RUN = 'a'.repeat(32);
/** Long enough that only size, flush or close sends anything during a test. */
const NO_TICK = 60_000;

function setup(): { recorder: BatchRecorder; batcher: LogBatcher } {
  const recorder = new BatchRecorder();
  return { recorder, batcher: new LogBatcher({ send: recorder.send, flushIntervalMs: NO_TICK }) };
}

describe('LogBatcher keeps every request within MLflow log-batch limits', () => {
  it('sends 1001 metrics as 1000 + 1, the full batch at once without waiting for a flush', async () => {
    const { recorder, batcher } = setup();
    for (let i = 0; i < 1001; i++) await batcher.enqueueMetric(RUN, metric('loss', i, i));
    await settleIo();
    expect(recorder.sent.map((s) => s.batch.metrics.length)).toEqual([1000]);

    await batcher.flush(RUN);
    expect(recorder.sent.map((s) => s.batch.metrics.length)).toEqual([1000, 1]);
    expect(recorder.metricValues(RUN)).toEqual(Array.from({ length: 1001 }, (_, i) => i));
    await batcher.close();
  });

  it('sends 101 params as 100 + 1 and 101 tags as 100 + 1', async () => {
    const { recorder, batcher } = setup();
    for (let i = 0; i < 101; i++) await batcher.enqueueParam(RUN, `p${i}`, String(i));
    for (let i = 0; i < 101; i++) await batcher.enqueueTag(RUN, `t${i}`, String(i));
    await batcher.close();
    expect(recorder.sent.map((s) => [s.batch.params.length, s.batch.tags.length])).toEqual([
      [100, 0],
      [1, 100],
      [0, 1],
    ]);
  });

  it('never puts more than 1000 entities in a request, whatever the mix', async () => {
    const { recorder, batcher } = setup();
    for (let i = 0; i < 2500; i++) {
      if (i % 50 === 0) await batcher.enqueueParam(RUN, `p${i}`, 'v');
      else if (i % 40 === 0) await batcher.enqueueTag(RUN, `t${i}`, 'v');
      else await batcher.enqueueMetric(RUN, metric('m', i, i));
    }
    await batcher.close();
    const total = recorder.sent.reduce((n, s) => n + s.batch.metrics.length + s.batch.params.length + s.batch.tags.length, 0);
    expect(total).toBe(2500);
    for (const { batch } of recorder.sent) {
      expect(batch.metrics.length + batch.params.length + batch.tags.length).toBeLessThanOrEqual(Limits.BATCH_MAX_ENTITIES);
      expect(batch.params.length).toBeLessThanOrEqual(Limits.BATCH_MAX_PARAMS);
      expect(batch.tags.length).toBeLessThanOrEqual(Limits.BATCH_MAX_TAGS);
    }
  });

  it('splits a payload that would pass 1 MB, each request under 1,000,000 bytes and nothing lost or reordered', async () => {
    const { recorder, batcher } = setup();
    // 60 tags of 8000 three-byte characters: 24 kB each, 1.4 MB in all, with NaN metrics in between
    const value = (i: number): string => String(i % 10).repeat(4) + '€'.repeat(8000);
    for (let i = 0; i < 60; i++) {
      await batcher.enqueueTag(RUN, `big${i}`, value(i));
      await batcher.enqueueMetric(RUN, metric('nan', Number.NaN, i));
    }
    await batcher.close();
    expect(recorder.sent.length).toBeGreaterThanOrEqual(2);
    for (const s of recorder.sent) expect(s.bytes).toBeLessThan(Limits.BATCH_MAX_BYTES);
    expect(recorder.sent.flatMap((s) => s.batch.tags.map((t) => t.key))).toEqual(Array.from({ length: 60 }, (_, i) => `big${i}`));
    expect(recorder.sent.flatMap((s) => s.batch.tags.map((t) => t.value))).toEqual(Array.from({ length: 60 }, (_, i) => value(i)));
    expect(recorder.sent.flatMap((s) => s.batch.metrics.map((m) => m.step))).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it('sends a full batch by size as soon as the bytes fill it', async () => {
    const { recorder, batcher } = setup();
    for (let i = 0; i < 45; i++) await batcher.enqueueParam(RUN, `p${i}`, 'z'.repeat(25_000)); // 1.1 MB of params
    await settleIo();
    expect(recorder.sent).toHaveLength(1);
    expect(recorder.sent[0]!.bytes).toBeLessThan(Limits.BATCH_MAX_BYTES);
    await batcher.close();
    expect(recorder.sent.reduce((n, s) => n + s.batch.params.length, 0)).toBe(45);
  });

  it('never names a param twice in one request: a same-value repeat is folded in, a changed value waits for the next request', async () => {
    const { recorder, batcher } = setup();
    await batcher.enqueueParam(RUN, 'lr', '0.1');
    await batcher.enqueueMetric(RUN, metric('loss', 1));
    await batcher.enqueueParam(RUN, 'lr', '0.1');
    await batcher.enqueueParam(RUN, 'lr', '0.2');
    await batcher.enqueueMetric(RUN, metric('loss', 2, 1));
    await batcher.close();
    expect(recorder.sent.map((s) => s.batch)).toEqual([
      { metrics: [metric('loss', 1)], params: [{ key: 'lr', value: '0.1' }], tags: [] },
      { metrics: [metric('loss', 2, 1)], params: [{ key: 'lr', value: '0.2' }], tags: [] },
    ]);
    expect(batcher.counters.queued).toBe(0);
  });
});
