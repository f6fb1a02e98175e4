import { escapeControl } from './terminal-text';

/**
 * How one log record becomes one line. Kept apart from the winston wiring so both formats can be read
 * (and changed) in one place. Records arrive already redacted.
 */

export type LogFormat = 'pretty' | 'json';

/** Source of a root logger's lines when none is given. */
export const DEFAULT_LOG_SOURCE = 'mlops-kit';

export interface LogRecord {
  timestamp: string;
  level: string;
  source: string;
  message: string;
  fields: Record<string, unknown>;
}

/** Keys a line owns; a field with one of these names is written as `_<name>` instead of clobbering it. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['timestamp', 'level', 'message']);

/** One JSON object per line, the four line keys first: `{"timestamp":…,"level":…,"source":…,"message":…,…fields}`. */
export function renderJson(record: LogRecord): string {
  const { timestamp, level, source, message, fields } = record;
  return JSON.stringify({ timestamp, level, source, message, ...fields });
}

const COLORS: Record<string, string> = { error: '31', warn: '33', info: '32', http: '36', verbose: '36', debug: '34', silly: '35' };

/**
 * `2025-01-31T12:00:00.000Z INFO  [tracker] Logged 3 metrics {"runId":"abc"}`. Stacks of Errors in the
 * fields go on the following lines, indented, instead of as one escaped JSON string.
 */
export function renderPretty(record: LogRecord, colors: boolean): string {
  const label = record.level.toUpperCase().padEnd(5);
  const level = colors ? `\u001b[${COLORS[record.level] ?? '0'}m${label}\u001b[39m` : label;
  const stacks: string[] = [];
  const shown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record.fields)) {
    if (isObject(value) && typeof value.stack === 'string') {
      const { stack, ...rest } = value;
      stacks.push(stack as string);
      shown[key] = rest;
    } else {
      shown[key] = value;
    }
  }
  const fields = Object.keys(shown).length > 0 ? ` ${JSON.stringify(shown)}` : '';
  const tail = stacks.map((stack) => `\n${stack.replace(/^/gm, '    ')}`).join('');
  // a message may carry user input (an unknown key with ESC in it): never let it drive the terminal
  return `${record.timestamp} ${level} [${escapeControl(record.source)}] ${escapeControl(record.message)}${fields}${escapeControl(tail, { keepNewlines: true })}`;
}

/** Splits a winston info object back into the record: every string key that is not a line key is a field. */
export function toRecord(info: Record<string, unknown>, fallbackSource: string): LogRecord {
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(info)) {
    if (key !== 'source' && key !== 'level' && key !== 'message' && key !== 'timestamp') fields[key] = info[key];
  }
  return {
    timestamp: String(info.timestamp ?? new Date().toISOString()),
    level: String(info.level),
    source: typeof info.source === 'string' ? info.source : fallbackSource,
    message: String(info.message ?? ''),
    fields,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
