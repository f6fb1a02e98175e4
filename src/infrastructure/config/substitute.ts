import { ConfigError, ErrorCodes } from '../../domain/errors';
import type { EnvMap } from './env';
import { isSecretKey } from './mask';
import { formatKeyPath, isMapping, type KeyPath } from './tree';

const VARIABLE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

export interface MissingVariable {
  variable: string;
  file: string;
  keyPath: string;
}

/** Where a string came from, for error messages: `origin(path)` names the file (or `--set`). */
export type OriginLookup = (path: KeyPath) => string;

/**
 * Expands `${VAR}` and `${VAR:-default}` in one string. `$${VAR}` is the escape for a literal `${VAR}`.
 * `${VAR:-default}` uses the default when VAR is unset or empty (shell semantics); `${VAR}` with VAR
 * set to "" gives "". Substituted values are not expanded again. Returns the names of variables that
 * were needed but unset instead of throwing, so the caller can report them with a file and key path.
 *
 * @example
 * substituteString('${HOST:-localhost}:${PORT}', { PORT: '5000' }); // { value: 'localhost:5000', missing: [] }
 */
export function substituteString(text: string, env: EnvMap): { value: string; missing: string[]; malformed?: string } {
  const missing: string[] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('$', i);
    if (start < 0) break;
    out += text.slice(i, start);
    if (text.startsWith('$${', start)) {
      out += '${';
      i = start + 3;
      continue;
    }
    if (!text.startsWith('${', start)) {
      out += '$';
      i = start + 1;
      continue;
    }
    const end = text.indexOf('}', start + 2);
    const inner = end < 0 ? undefined : text.slice(start + 2, end);
    const match = inner === undefined ? null : VARIABLE.exec(inner);
    if (!match) return { value: text, missing, malformed: end < 0 ? text.slice(start) : text.slice(start, end + 1) };
    const [, name, fallback] = match as unknown as [string, string, string | undefined];
    const current = env[name];
    if (fallback !== undefined) out += current === undefined || current === '' ? fallback : current;
    else if (current === undefined) missing.push(name);
    else out += current;
    i = end + 1;
  }
  return { value: out + text.slice(i), missing };
}

/**
 * Expands variables in every string leaf of an already-parsed tree (never in raw text, so a value
 * containing `: ` or `#` cannot change the document's shape). Mapping keys are left alone. Throws
 * ConfigError(CONFIG_MISSING_ENV) naming the variable, the file and the key path of the first missing
 * variable (and counting the others), or CONFIG_INVALID for a malformed `${…}`.
 *
 * @example
 * substituteTree({ tracking: { password: '${PW}' } }, { PW: 's3cret' }, () => 'conf/app.yaml');
 */
export function substituteTree<T>(tree: T, env: EnvMap, origin: OriginLookup): T {
  const missing: MissingVariable[] = [];
  const walk = (node: unknown, path: Array<string | number>): unknown => {
    if (typeof node === 'string') {
      const result = substituteString(node, env);
      if (result.malformed !== undefined) throw malformedError(result.malformed, origin(path), formatKeyPath(path));
      for (const variable of result.missing) missing.push({ variable, file: origin(path), keyPath: formatKeyPath(path) });
      return result.value;
    }
    if (Array.isArray(node)) return node.map((item, index) => walk(item, [...path, index]));
    if (isMapping(node)) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, [...path, k])]));
    return node;
  };
  const result = walk(tree, []) as T;
  if (missing.length > 0) throw missingError(missing);
  return result;
}

function missingError(missing: MissingVariable[]): ConfigError {
  const [first, ...rest] = missing as [MissingVariable, ...MissingVariable[]];
  const { variable, file, keyPath } = first;
  const more = rest.length === 0 ? '' : ` (${rest.length} more missing: ${rest.map((m) => `${m.variable} at ${m.file}: ${m.keyPath}`).join(', ')})`;
  return new ConfigError(
    `${file}: ${keyPath}: environment variable ${variable} is not set. ` +
      `Set ${variable} in the environment or .env, or write \${${variable}:-default}.${more}`,
    ErrorCodes.CONFIG_MISSING_ENV,
    { details: { file, keyPath, variable, missing } },
  );
}

function malformedError(placeholder: string, file: string, keyPath: string): ConfigError {
  // the text around it may be a literal password: show it only under harmless keys, and short
  const shown = keyPath.split('.').some(isSecretKey) ? '' : ` ${JSON.stringify(placeholder.slice(0, 40))}`;
  return new ConfigError(
    `${file}: ${keyPath}: malformed placeholder${shown}. ` +
      'Write ${NAME} or ${NAME:-default} (NAME: letters, digits, underscores), or $${ for a literal "${".',
    ErrorCodes.CONFIG_INVALID,
    { details: { file, keyPath } },
  );
}
