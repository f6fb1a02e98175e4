/**
 * MLflow's JSON dialect. Metric values may be NaN or ±Infinity, which JSON cannot spell: the server
 * wants the strings "NaN", "Infinity", "-Infinity" (JSON.stringify would send `null`, a 400), and its
 * answers may carry those strings, or, from some proxies and older servers, the bare Python tokens.
 */

export type QueryValue = string | number | boolean | undefined | null | readonly (string | number | boolean)[];

/** A number as it goes on the wire: finite numbers unchanged, the rest as MLflow's strings. */
export function toWireNumber(value: number): number | string {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

/** Reads a number the server sent: a JSON number or one of "NaN", "Infinity", "-Infinity" (any case, also "inf"). */
export function fromWireNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'nan') return Number.NaN;
    if (text === 'infinity' || text === 'inf' || text === '+infinity' || text === '+inf') return Number.POSITIVE_INFINITY;
    if (text === '-infinity' || text === '-inf') return Number.NEGATIVE_INFINITY;
    if (text !== '' && !Number.isNaN(Number(text))) return Number(text);
  }
  return Number.NaN;
}

/** JSON.stringify that writes non-finite numbers as MLflow's strings instead of `null`. */
export function stringifyWire(body: unknown): string {
  return JSON.stringify(body, (_key, value: unknown) => (typeof value === 'number' ? toWireNumber(value) : value));
}

/**
 * Parses a response body. An empty body is `{}` (MLflow answers `{}` for most writes). Bare `NaN` /
 * `Infinity` tokens outside strings are turned into MLflow's strings before parsing.
 */
export function parseWire(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    const repaired = quoteBareNonFinite(text);
    if (repaired === text) throw error;
    return JSON.parse(repaired);
  }
}

/** Builds a query string where a repeated field is a repeated key (`order_by=a&order_by=b`), as MLflow reads it. */
export function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) params.append(key, String(item));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Replaces NaN, Infinity, -Infinity tokens that sit outside string literals with quoted strings. */
function quoteBareNonFinite(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      continue;
    }
    const token = ['-Infinity', 'Infinity', 'NaN'].find((t) => text.startsWith(t, i));
    if (token) {
      out += `"${token}"`;
      i += token.length - 1;
    } else {
      out += ch;
    }
  }
  return out;
}
