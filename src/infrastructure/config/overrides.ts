import YAML from 'yaml';
import { ConfigError, ErrorCodes } from '../../domain/errors';
import { isMapping } from './tree';

export interface Override {
  /** `['job', 'alias']` for `--set job.alias=Challenger`. */
  path: string[];
  value: unknown;
}

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);
const EXPECTED_FORM = 'Expected --set <key.path>=<value>, e.g. --set job.alias=Challenger';

/**
 * Parses one `--set key.path=value` argument. The value is read as a YAML scalar: `3` is a number,
 * `true` a boolean, `'3'` (quoted) the text "3", an empty value null (which unsets the key);
 * `[a, b]` and `{k: v}` give a list and a mapping. Text that YAML cannot read stays as typed.
 * Throws ConfigError(CONFIG_BAD_OVERRIDE) for a missing `=`, an empty path or an empty path segment.
 *
 * @example parseOverride('job.version=3'); // { path: ['job', 'version'], value: 3 }
 */
export function parseOverride(argument: string): Override {
  const eq = argument.indexOf('=');
  // the argument may be `tracking.password=…`: never echo what follows the "="
  const shown = JSON.stringify(eq < 0 ? argument : `${argument.slice(0, eq)}=…`);
  const fail = (why: string): never => {
    throw new ConfigError(`--set ${shown}: ${why}. ${EXPECTED_FORM}.`, ErrorCodes.CONFIG_BAD_OVERRIDE, {
      details: { file: '--set', keyPath: eq < 0 ? undefined : argument.slice(0, eq) },
    });
  };
  if (eq < 0) return fail('missing "="');
  const key = argument.slice(0, eq).trim();
  if (key === '') return fail('empty key path before "="');
  const path = key.split('.');
  if (path.some((segment) => segment.trim() === '')) return fail(`empty segment in key path "${key}"`);
  if (path.some((segment) => FORBIDDEN.has(segment))) return fail(`"${key}" is not a configuration key`);
  return { path: path.map((segment) => segment.trim()), value: parseValue(argument.slice(eq + 1)) };
}

function parseValue(raw: string): unknown {
  let value: unknown;
  try {
    value = YAML.parse(raw, { logLevel: 'error' });
  } catch {
    return raw; // e.g. "@home" or "a: b: c": plain text, exactly as typed
  }
  const trimmed = raw.trimStart();
  // only explicit flow collections become structures; "a: b" or "- x" stay text, as typed
  if (Array.isArray(value) && !trimmed.startsWith('[')) return raw;
  if (isMapping(value) && !trimmed.startsWith('{')) return raw;
  return value;
}
