import { Limits } from '../../../src/domain/model/naming-rules';
import {
  envelopeBytes,
  jsonNumberBytes,
  keyValueBytes,
  logBatchBody,
  logBatchBytes,
  METRIC_NUMBERS_MAX_BYTES,
  metricBytes,
  serializeLogBatch,
} from '../../../src/infrastructure/tracking/mlflow/log-batch-json';
import type { LogBatch } from '../../../src/infrastructure/tracking/shared/log-batch';
import { LogBatcher } from '../../../src/infrastructure/tracking/mlflow/log-batcher';
import { BatchRecorder, metric } from './batch-recorder';

const RUN = '0123456789abcdef0123456789abcdef';

describe('log-batch request body and its measured size', () => {
  it('sends NaN and ±Infinity as the strings MLflow reads, and counts them at their sent size', () => {
    const batch: LogBatch = {
      metrics: [metric('loss', Number.NaN), metric('gain', Number.POSITIVE_INFINITY, 1), metric('drop', Number.NEGATIVE_INFINITY, 2)],
      params: [],
      tags: [],
    };
    const json = serializeLogBatch(RUN, batch);
    const values = (JSON.parse(json) as { metrics: { value: unknown }[] }).metrics.map((m) => m.value);
    expect(values).toEqual(['NaN', 'Infinity', '-Infinity']);
    expect(json).not.toContain('null');
    expect(logBatchBytes(RUN, batch)).toBe(Buffer.byteLength(json));
    // "NaN" with its quotes is 5 bytes, one more than the `null` plain JSON.stringify would write
    expect(jsonNumberBytes(Number.NaN)).toBe(5);
    expect(jsonNumberBytes(Number.POSITIVE_INFINITY)).toBe(10);
    expect(jsonNumberBytes(Number.NEGATIVE_INFINITY)).toBe(11);
    expect(metricBytes(metric('k', Number.NaN))).toBe(metricBytes(metric('k', 1234)) + 1);
  });

  it('measures exactly what is sent, for escapes, unicode, big and small numbers', () => {
    const awkward = ['plain', 'quote " and \\ backslash', 'tab\tnew\nline\u0001', 'héllo wörld', '数据集', '😀 emoji', '\ud800 lone surrogate', ''];
    const numbers = [0, -0, 1, -1, 0.1, 1e-7, 123456789012345, 1e15, 1e21, -3.5e-300, Number.MAX_VALUE, Number.NaN, Number.NEGATIVE_INFINITY];
    const batch: LogBatch = {
      metrics: numbers.map((value, i) => ({ key: awkward[i % awkward.length]!, value, timestamp: numbers[(i + 3) % numbers.length]!, step: i })),
      params: awkward.map((value, i) => ({ key: `p${i}`, value })),
      tags: awkward.map((value, i) => ({ key: awkward[(i + 1) % awkward.length]!, value })),
    };
    expect(logBatchBytes(RUN, batch)).toBe(Buffer.byteLength(serializeLogBatch(RUN, batch)));
    for (const kind of ['metrics', 'params', 'tags'] as const) {
      const only: LogBatch = { metrics: [], params: [], tags: [], [kind]: batch[kind] };
      expect(logBatchBytes(RUN, only)).toBe(Buffer.byteLength(serializeLogBatch(RUN, only)));
    }
    expect(logBatchBytes(RUN, { metrics: [], params: [], tags: [] })).toBe(envelopeBytes(RUN));
  });

  it('writes big whole numbers (millisecond timestamps) and repeated timestamps digit for digit as JSON does', () => {
    const whole = [2_147_483_647, 2_147_483_648, 1_700_000_000_000, 1_700_000_000_005, 17_000_000_000_000, 1_699_999_999_999, 10_000_000_000, 999_999_999_999_999, 1e15, 1e15 + 2];
    const metrics = whole.flatMap((n, i) => [
      { key: 'a', value: n, timestamp: n, step: i },
      { key: 'b', value: -n, timestamp: n, step: n % 2_147_483_647 }, // same timestamp twice in a row
    ]);
    const batch: LogBatch = { metrics, params: [], tags: [] };
    expect(serializeLogBatch(RUN, batch)).toBe(JSON.stringify(logBatchBody(RUN, batch)));
    expect(logBatchBytes(RUN, batch)).toBe(Buffer.byteLength(serializeLogBatch(RUN, batch)));
  });

  it('sends exactly the wire fields of a metric, even when the caller object carries more', () => {
    const extra = { ...metric('acc', 0.9, 3), note: 'not for the wire' };
    const body = logBatchBody(RUN, { metrics: [extra], params: [{ key: 'a', value: '1' }], tags: [] });
    expect(body).toEqual({ run_id: RUN, metrics: [{ key: 'acc', value: 0.9, timestamp: 1_700_000_000_003, step: 3 }], params: [{ key: 'a', value: '1' }], tags: [] });
  });

  it('cuts at the 1 MB limit by the NaN-as-string size: a NaN metric that would just fit as null starts the next batch', async () => {
    const recorder = new BatchRecorder();
    const batcher = new LogBatcher({ send: recorder.send, flushIntervalMs: 60_000 });
    // 99 tags (not a full batch) whose body leaves room for the NaN metric only if NaN were counted as `null`
    const tags = Array.from({ length: 98 }, (_, i) => ({ key: `t${String(i).padStart(2, '0')}`, value: 'x'.repeat(7000) }));
    const withTags = logBatchBytes(RUN, { metrics: [], params: [], tags });
    const nanMetric = metric('m', Number.NaN);
    const lastLength = Limits.BATCH_MAX_BYTES - withTags - 1 /* comma */ - metricBytes(nanMetric) - keyValueBytes('t98', '');
    const last = { key: 't98', value: 'y'.repeat(lastLength) };
    for (const tag of [...tags, last]) await batcher.enqueueTag(RUN, tag.key, tag.value);
    await batcher.enqueueMetric(RUN, nanMetric);
    await batcher.close();

    // with the metric, the real body would be exactly 1,000,000 bytes (not below the limit); as `null` it would fit
    const together = { metrics: [nanMetric], params: [], tags: [...tags, last] };
    expect(Buffer.byteLength(serializeLogBatch(RUN, together))).toBe(Limits.BATCH_MAX_BYTES);
    expect(Buffer.byteLength(JSON.stringify(logBatchBody(RUN, together)))).toBe(Limits.BATCH_MAX_BYTES - 1);
    expect(recorder.sent).toHaveLength(2);
    expect(recorder.sent[0]!.batch.tags).toHaveLength(99);
    expect(recorder.sent[0]!.batch.metrics).toHaveLength(0);
    expect(recorder.sent[1]!.batch.metrics[0]!.value).toBeNaN();
    for (const s of recorder.sent) expect(s.bytes).toBeLessThan(Limits.BATCH_MAX_BYTES);
  });

  it('bounds any number a metric can carry by the estimate the batcher cuts with (25 bytes each)', () => {
    const awkward = [-0.0000012345678901234567, -1.2345678901234567e-100, -Number.MAX_VALUE, -Number.MIN_VALUE, -2.2250738585072014e-308, -123456789012345680000, -Infinity, NaN];
    for (const value of awkward) expect(jsonNumberBytes(value)).toBeLessThanOrEqual(METRIC_NUMBERS_MAX_BYTES / 3);
    expect(jsonNumberBytes(-0.0000012345678901234567)).toBe(METRIC_NUMBERS_MAX_BYTES / 3); // the longest there is
  });

  it('does not cut early for metrics counted at their largest: metrics, then tags filling the body to 1 byte under 1 MB, go in one request', async () => {
    const recorder = new BatchRecorder();
    const batcher = new LogBatcher({ send: recorder.send, flushIntervalMs: 60_000 });
    const metrics = Array.from({ length: 10 }, (_, i) => metric('m', 1, i));
    const tags = Array.from({ length: 98 }, (_, i) => ({ key: `t${String(i).padStart(2, '0')}`, value: 'x'.repeat(7000) }));
    const without = logBatchBytes(RUN, { metrics, params: [], tags });
    const last = { key: 't98', value: 'y'.repeat(Limits.BATCH_MAX_BYTES - 1 - without - 1 /* comma */ - keyValueBytes('t98', '')) };
    for (const m of metrics) await batcher.enqueueMetric(RUN, m);
    for (const tag of [...tags, last]) await batcher.enqueueTag(RUN, tag.key, tag.value);
    await batcher.close();
    expect(recorder.sent).toHaveLength(1);
    expect(recorder.sent[0]!.bytes).toBe(Limits.BATCH_MAX_BYTES - 1);
    expect(recorder.sent[0]!.batch.metrics).toHaveLength(10);
  });
});
