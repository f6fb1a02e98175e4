import type { Metric } from '../../../domain/model/run';
import type { LogBatch } from '../shared/log-batch';
import { stringifyWire } from './wire-json';

/**
 * The exact `runs/log-batch` request body, and its size in bytes computed piece by piece, so the
 * batcher can cut batches under MLflow's 1 MB limit without serialising each candidate batch.
 * `logBatchBytes(id, b) === Buffer.byteLength(serializeLogBatch(id, b))` always holds (a unit test checks
 * it on awkward input): NaN/±Infinity count as the strings `"NaN"`, `"Infinity"`, `"-Infinity"` they are
 * sent as, and strings count with their JSON escapes, in UTF-8.
 *
 * @example
 * await client.request('POST', 'runs/log-batch', { body: logBatchBody(runId, batch) });
 */
export interface LogBatchBody {
  run_id: string;
  metrics: Metric[];
  params: { key: string; value: string }[];
  tags: { key: string; value: string }[];
}

/** The request body, fields in wire order; metric objects are copied so no stray property is sent. */
export function logBatchBody(runId: string, batch: LogBatch): LogBatchBody {
  return {
    run_id: runId,
    metrics: batch.metrics.map((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp, step: m.step })),
    params: batch.params.map((p) => ({ key: p.key, value: p.value })),
    tags: batch.tags.map((t) => ({ key: t.key, value: t.value })),
  };
}

/**
 * The JSON text the REST client sends (non-finite numbers as MLflow's strings): the same text as
 * `stringifyWire(logBatchBody(…))`, written directly (the hot path of a busy run: no copies, no replacer).
 */
export function serializeLogBatch(runId: string, batch: LogBatch): string {
  let text = `{"run_id":${JSON.stringify(runId)},"metrics":[`;
  let lastKey = '';
  let lastKeyJson = '""';
  // a training loop logs several values in the same millisecond: its timestamp is written once
  let lastTimestamp = Number.NaN;
  let lastTimestampJson = '';
  for (let i = 0; i < batch.metrics.length; i++) {
    const m = batch.metrics[i]!;
    if (m.key !== lastKey) {
      lastKey = m.key;
      lastKeyJson = JSON.stringify(m.key);
    }
    if (m.timestamp !== lastTimestamp) {
      lastTimestamp = m.timestamp;
      lastTimestampJson = wireNumberJson(m.timestamp);
    }
    text += `${i === 0 ? '' : ','}{"key":${lastKeyJson},"value":${wireNumberJson(m.value)},"timestamp":${lastTimestampJson},"step":${wireNumberJson(m.step)}}`;
  }
  text += '],"params":';
  text += stringifyWire(batch.params.map((p) => ({ key: p.key, value: p.value })));
  text += ',"tags":';
  text += stringifyWire(batch.tags.map((t) => ({ key: t.key, value: t.value })));
  return `${text}}`;
}

const LEADING_ZEROS = ['', '0', '00', '000', '0000', '00000', '000000'];

function wireNumberJson(value: number): string {
  // a millisecond timestamp (~1.7e12) is past V8's small integers, where String() takes the slow double
  // path (~2.5× slower): written as two small halves instead, digit for digit the same
  if (value >= 2_147_483_648 && value < 1e15 && Number.isInteger(value)) {
    const high = Math.floor(value / 1e7);
    const low = String(value - high * 1e7);
    return `${high}${LEADING_ZEROS[7 - low.length]}${low}`;
  }
  if (Number.isFinite(value)) return String(value);
  return Number.isNaN(value) ? '"NaN"' : value > 0 ? '"Infinity"' : '"-Infinity"';
}

/** Bytes of a metric's JSON without its key and numbers: `{"key":,"value":,"timestamp":,"step":}`. */
export const METRIC_FRAME_BYTES = byteLength('{"key":,"value":,"timestamp":,"step":}');
/**
 * The most bytes a metric's three numbers can take: a double prints as at most 25 characters
 * (`-0.0000012345678901234567`; `-1.2345678901234567e-100` is 24), and `"-Infinity"` is 11.
 */
export const METRIC_NUMBERS_MAX_BYTES = 3 * 25;
const KV_FRAME = byteLength('{"key":,"value":}');
const ENVELOPE_FRAME = byteLength('{"run_id":,"metrics":[],"params":[],"tags":[]}');
/** Printable ASCII other than `"` and `\`: a string made only of these is its length plus two quotes. */
const PLAIN_JSON_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** Bytes of the body with no entries: `{"run_id":…,"metrics":[],"params":[],"tags":[]}`. */
export function envelopeBytes(runId: string): number {
  return ENVELOPE_FRAME + jsonStringBytes(runId);
}

/** Bytes one metric adds inside its list (not counting the separating comma). */
export function metricBytes(m: Metric): number {
  return METRIC_FRAME_BYTES + jsonStringBytes(m.key) + jsonNumberBytes(m.value) + jsonNumberBytes(m.timestamp) + jsonNumberBytes(m.step);
}

/** Bytes one param or tag adds inside its list (not counting the separating comma). */
export function keyValueBytes(key: string, value: string): number {
  return KV_FRAME + jsonStringBytes(key) + jsonStringBytes(value);
}

/** Size of the whole serialised body, summed from the pieces above (one comma between list entries). */
export function logBatchBytes(runId: string, batch: LogBatch): number {
  let total = envelopeBytes(runId);
  for (const m of batch.metrics) total += metricBytes(m);
  for (const p of batch.params) total += keyValueBytes(p.key, p.value);
  for (const t of batch.tags) total += keyValueBytes(t.key, t.value);
  const commas = Math.max(0, batch.metrics.length - 1) + Math.max(0, batch.params.length - 1) + Math.max(0, batch.tags.length - 1);
  return total + commas;
}

/** UTF-8 bytes of `JSON.stringify(text)`, without building the string in the common all-ASCII case. */
export function jsonStringBytes(text: string): number {
  if (PLAIN_JSON_STRING.test(text)) return text.length + 2;
  return byteLength(JSON.stringify(text));
}

/** Bytes of a number as MLflow's JSON writes it: `"NaN"` (5), `"Infinity"` (10), `"-Infinity"` (11), else its digits. */
export function jsonNumberBytes(value: number): number {
  if (Number.isInteger(value) && value >= 0 && value < 1e15) return digitCount(value);
  if (Number.isFinite(value)) return String(value).length;
  if (Number.isNaN(value)) return 5;
  return value > 0 ? 10 : 11;
}

function digitCount(n: number): number {
  let digits = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    digits++;
  }
  return digits;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
