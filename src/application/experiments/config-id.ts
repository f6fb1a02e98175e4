import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth, so two configs that differ only in key order serialize
 * the same. `undefined` members are dropped, as JSON.stringify does.
 *
 * @example canonicalJson({ b: 1, a: { d: 2, c: 3 } }); // '{"a":{"c":3,"d":2},"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/**
 * A branch's stable id: the first 12 hex digits of sha256(canonicalJson(config)). The same config gets
 * the same id in every process, which is how results of two experiments are matched up.
 *
 * @example configIdOf({ l2: 0.1, epochs: 100 }) === configIdOf({ epochs: 100, l2: 0.1 }); // true
 */
export function configIdOf(config: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex').slice(0, 12);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .filter((key) => record[key] !== undefined)
        .map((key) => [key, sortKeys(record[key])]),
    );
  }
  return value;
}
