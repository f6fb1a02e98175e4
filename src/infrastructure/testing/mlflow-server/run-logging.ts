import { ApiError, invalid, optionalInt } from './http-io';
import { DEFAULT_FLAVOUR, storedMetricValue, tagLimit, type ServerFlavour } from './server-flavour';
import type { FakeStore, MetricRecord, RunRecord } from './store';

/**
 * MLflow's log-batch rules (utils/validation.py + the sqlalchemy store): limits per batch, key syntax,
 * metric values as numbers or "NaN"/"Infinity"/"-Infinity" (null and booleans are rejected), params
 * write-once (same value again is fine, another value is a 400), duplicate param keys in one batch
 * rejected, tags last-write-wins, long values truncated (tags per server version), ±Infinity clamped by a SQL
 * store (server-flavour.ts), a metric row identical to one stored (same key, value, timestamp and step)
 * ignored as the SQL store's primary key does. The whole batch is checked before anything
 * is stored, so a rejected batch leaves the run unchanged.
 */
const KEY = /^[/\w.\- :]*$/;
const MAX_PARAM = 6000;

export function applyLogBatch(store: FakeStore, run: RunRecord, args: Record<string, unknown>, flavour: ServerFlavour = DEFAULT_FLAVOUR): void {
  if (run.lifecycleStage !== 'active') throw invalid(`The run ${run.id} must be in the 'active' state. Current state is deleted.`);
  const metrics = list(args.metrics, 'metrics');
  const params = list(args.params, 'params');
  const tags = list(args.tags, 'tags');
  if (metrics.length > 1000) throw invalid(`A batch logging request can contain at most 1000 metrics. Got ${metrics.length} metrics. Please split up metrics across multiple requests and try again.`);
  if (params.length > 100) throw invalid(`A batch logging request can contain at most 100 params. Got ${params.length} params. Please split up params across multiple requests and try again.`);
  if (tags.length > 100) throw invalid(`A batch logging request can contain at most 100 tags. Got ${tags.length} tags. Please split up tags across multiple requests and try again.`);
  const total = metrics.length + params.length + tags.length;
  if (total > 1000) throw invalid(`A batch logging request can contain at most 1000 total metrics, params, and tags. Got ${total}. Please split up across multiple requests and try again.`);

  const parsedMetrics = metrics.map((m, i) => parseMetric(m, i, store.now()));
  const parsedParams = params.map((p, i) => keyValue(p, `params[${i}]`, 'param'));
  const parsedTags = tags.map((t, i) => keyValue(t, `tags[${i}]`, 'tag'));

  const seen = new Set<string>();
  const duplicates = parsedParams.filter((p) => (seen.has(p.key) ? true : (seen.add(p.key), false))).map((p) => p.key);
  if (duplicates.length > 0) {
    throw invalid(`Duplicate parameter keys have been submitted: ${JSON.stringify(duplicates)}. Please ensure the request contains only one param value per param key.`);
  }
  for (const p of parsedParams) {
    const value = p.value.slice(0, MAX_PARAM);
    const existing = run.params.get(p.key);
    if (existing !== undefined && existing !== value) {
      throw invalid(
        `Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${existing}' for run ID='${run.id}'. Attempted logging new value '${value}'.`,
      );
    }
  }
  // MLflow's SQL stores key a metric row by (key, value, timestamp, step): a re-sent identical row is ignored
  const rows = storedRows(run);
  for (const parsed of parsedMetrics) {
    const m = { ...parsed, value: storedMetricValue(flavour, parsed.value) };
    const row = metricRowKey(m);
    if (rows.has(row)) continue;
    rows.add(row);
    run.metrics.push(m);
  }
  rowCache.set(run, { count: run.metrics.length, rows });
  for (const p of parsedParams) run.params.set(p.key, p.value.slice(0, MAX_PARAM));
  for (const t of parsedTags) {
    run.tags.set(t.key, t.value.slice(0, tagLimit(flavour)));
    if (t.key === 'mlflow.runName') run.runName = t.value;
  }
}

const rowCache = new WeakMap<RunRecord, { count: number; rows: Set<string> }>();

/** The row keys of a run's stored metrics; rebuilt when something else changed the list. */
function storedRows(run: RunRecord): Set<string> {
  const cached = rowCache.get(run);
  if (cached && cached.count === run.metrics.length) return cached.rows;
  return new Set(run.metrics.map(metricRowKey));
}

/** Identity of a metric row in MLflow's SQL store (its primary key, within one run; NaN equals NaN). */
function metricRowKey(m: MetricRecord): string {
  return `${m.key}\0${String(m.value)}\0${m.timestamp}\0${m.step}`;
}

export function parseMetric(raw: unknown, index: number, now: number): MetricRecord {
  const m = (raw ?? {}) as Record<string, unknown>;
  const key = validKey(m.key, `metrics[${index}].key`, 'metric');
  const value = m.value;
  let number: number;
  if (typeof value === 'number') number = value;
  else if (value === 'NaN') number = Number.NaN;
  else if (value === 'Infinity') number = Number.POSITIVE_INFINITY;
  else if (value === '-Infinity') number = Number.NEGATIVE_INFINITY;
  else if (value === undefined || value === null) throw invalid(`Missing value for required parameter 'metrics[${index}].value'. See the API docs for more information about request parameters.`);
  else throw invalid(`Got invalid value ${JSON.stringify(value)} for metric '${key}' (timestamp=${String(m.timestamp)}). Please specify value as a valid double (64-bit floating point)`);
  return { key, value: number, timestamp: optionalInt(m, 'timestamp') ?? now, step: optionalInt(m, 'step') ?? 0 };
}

/** The value MLflow's runs/get shows per key: highest step, then latest timestamp, then largest value. */
export function latestMetrics(run: RunRecord): MetricRecord[] {
  const latest = new Map<string, MetricRecord>();
  for (const m of run.metrics) {
    const current = latest.get(m.key);
    if (!current || m.step > current.step || (m.step === current.step && (m.timestamp > current.timestamp || (m.timestamp === current.timestamp && m.value > current.value)))) {
      latest.set(m.key, m);
    }
  }
  return [...latest.values()];
}

export function metricJson(m: MetricRecord): Record<string, unknown> {
  return { key: m.key, value: m.value, timestamp: m.timestamp, step: m.step };
}

function list(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(`Invalid value for parameter '${field}' supplied: expected a list.`);
  return value;
}

function keyValue(raw: unknown, field: string, kind: string): { key: string; value: string } {
  const item = (raw ?? {}) as Record<string, unknown>;
  const key = validKey(item.key, `${field}.key`, kind);
  const value = item.value;
  if (value === undefined || value === null) throw invalid(`Missing value for required parameter '${field}.value'. See the API docs for more information about request parameters.`);
  if (typeof value !== 'string') throw invalid(`Invalid value ${JSON.stringify(value)} for parameter '${field}.value' supplied: expected a string.`);
  return { key, value };
}

function validKey(key: unknown, field: string, kind: string): string {
  if (key === undefined || key === null || key === '') throw invalid(`Missing value for required parameter '${field}'. See the API docs for more information about request parameters.`);
  if (typeof key !== 'string') throw invalid(`Invalid value ${JSON.stringify(key)} for parameter '${field}' supplied.`);
  if (key.length > 250) throw invalid(`${kind} '${key.slice(0, 20)}…' had length ${key.length}, which exceeded length limit of 250`);
  if (!KEY.test(key) || key.startsWith('/') || key.includes('//') || key.split('/').includes('..')) {
    throw new ApiError(400, 'INVALID_PARAMETER_VALUE', `Invalid ${kind} name: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`);
  }
  return key;
}
