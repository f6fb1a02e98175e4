import type { Metric } from '../../domain/model/run';

/**
 * The values of `source` the target does not have yet, in source order. `delivered` (the target's
 * history of the same key) is treated as a multiset of (step, timestamp, value): each delivered value
 * accounts for one equal source value, wherever it sits. This is what makes resuming an interrupted
 * sync exact: a metric already delivered is never sent again, whatever order the server returns its
 * history in, and a value logged twice in the store (same step, time and value) is sent twice.
 *
 * @example
 * undelivered([m(0, 1), m(1, 2), m(2, 3)], [m(0, 1)]) // → [m(1, 2), m(2, 3)]
 */
export function undelivered(source: readonly Metric[], delivered: readonly Metric[]): Metric[] {
  if (delivered.length === 0) return [...source];
  const have = new Map<string, number>();
  for (const metric of delivered) have.set(identity(metric), (have.get(identity(metric)) ?? 0) + 1);
  const missing: Metric[] = [];
  for (const metric of source) {
    const id = identity(metric);
    const count = have.get(id) ?? 0;
    if (count > 0) have.set(id, count - 1);
    else missing.push(metric);
  }
  return missing;
}

/** NaN, ±Infinity and -0 spell themselves distinctly enough here: String(NaN) is 'NaN', -0 equals 0 as MLflow stores it. */
function identity(metric: Metric): string {
  return `${metric.step} ${metric.timestamp} ${String(metric.value)}`;
}
