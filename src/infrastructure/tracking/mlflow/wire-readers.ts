import { ErrorCodes, TrackerUnavailableError } from '../../../domain/errors';

/**
 * Readers for the fields of a server answer, each told the route and the field path it reads, so a
 * field of the wrong shape becomes one typed error naming both instead of a TypeError deep in mapping.
 * MLflow leaves empty lists out (read as `[]`) and proto2 leaves an empty string out (read as '').
 *
 * @example
 * const info = object(answer.model?.info, 'logged-models', 'model.info');
 * const id = string(info.model_id, 'logged-models', 'model.info.model_id');
 */

/** `[{key, value}]` → a record; a missing value is '' (proto2 omits empty strings). */
export function keyValues(value: unknown, route: string, at: string): Record<string, string> {
  const record: Record<string, string> = {};
  list(value, route, at).forEach((item, i) => {
    const pair = object(item, route, `${at}[${i}]`);
    // proto2 leaves an empty string value out entirely
    record[string(pair.key, route, `${at}[${i}].key`)] = optionalString(pair.value, route, `${at}[${i}].value`) ?? '';
  });
  return record;
}

/** A JSON object (not null, not an array). */
export function object(value: unknown, route: string, at: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw malformed(route, at, 'an object', value);
  return value as Record<string, unknown>;
}

/** A repeated field: missing is `[]`. */
export function list(value: unknown, route: string, at: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw malformed(route, at, 'a list', value);
  return value;
}

/** A required string field: present and non-empty. */
export function string(value: unknown, route: string, at: string): string {
  if (typeof value !== 'string' || value === '') throw malformed(route, at, 'a non-empty string', value);
  return value;
}

/** An optional string field. */
export function optionalString(value: unknown, route: string, at: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw malformed(route, at, 'a string', value);
  return value;
}

/** int64: a JSON number, or the numeric string some proto JSON printers write. */
export function optionalNumber(value: unknown, route: string, at: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw malformed(route, at, 'a number', value);
  return n;
}

/**
 * The error for an answer that is JSON but not the message MLflow sends: which route, which field, what
 * was expected and what came (shortened). The same class and code as a top-level non-MLflow answer.
 */
export function malformed(route: string, field: string, expected: string, got: unknown): TrackerUnavailableError {
  const shown = got === undefined ? 'nothing' : (JSON.stringify(got) ?? String(got)).slice(0, 60);
  return new TrackerUnavailableError(
    `MLflow ${route} answered a malformed message: ${field} should be ${expected}, got ${shown}. ` +
      "The server (or a proxy in front of it) does not answer as MLflow's REST API does; check MLFLOW_TRACKING_URI and the server version.",
    ErrorCodes.TRACKER_UNAVAILABLE,
    { details: { route, field, malformed: true } },
  );
}
