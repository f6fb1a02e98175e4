/**
 * Redaction shared by the loggers and the alerters, so a secret never reaches a log line or a console alert.
 *
 * Two independent nets, because either alone leaks:
 *
 * 1. Secret-looking KEYS (`isSecretFieldKey`): the value under such a key is replaced by `***` at any depth of the
 *    fields, whatever its type (an object under `credentials` is hidden whole). A key is split into words
 *    (camelCase, snake_case, kebab-case, dots) and names a secret when
 *    - one word is secret(s), password, passwd, passphrase, token, credential(s), cookie, signature, sig,
 *      authorization, or an all-lowercase apikey / accesskey / secretkey / privatekey; or
 *    - the whole key is `auth`; or
 *    - the word `key` follows a qualifier and ends the key (or is followed only by `id`): apiKey, api_key,
 *      secretAccessKey, AWS_SECRET_ACCESS_KEY, accessKeyId, x-api-key, storageKey — unless the qualifier
 *      is a harmless one (metricKey, paramKey, tagKey, sortKey, cacheKey, objectKey, publicKey …).
 *    Bare `key` (MLflow's metric/param/tag key), `keyPath`, and plural counts (`maxTokens`) stay visible.
 * 2. Secret VALUES, wherever they appear in messages, string fields, Error messages and stacks: the known
 *    secrets the logger was given (`redactionSecretsFromEnv`, config) and pieces of them (secret-fragments.ts), `user:pass@` in URLs,
 *    `Authorization: Basic|Bearer …` headers, stand-alone bearer tokens, and `name=value` / `"name": value`
 *    pairs whose name passes the key rule (query strings such as `?X-Amz-Signature=…`, `--password=…`).
 */

import { errorCodeOf } from '../../domain/errors';
import { SecretFragments } from './secret-fragments';
import { maskUrlCredentials } from './url-credentials';

export const REDACTED = '***';

/** Known secrets shorter than this are ignored: redacting "ab" everywhere would make logs unreadable. */
export const MIN_SECRET_LENGTH = 4;

/** Environment variables whose values are always secrets (MLflow and AWS credentials). */
export const SECRET_ENV_NAMES: readonly string[] = [
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'MLFLOW_TRACKING_PASSWORD',
  'MLFLOW_TRACKING_TOKEN',
];

const SECRET_WORDS = new Set([
  'secret', 'secrets', 'password', 'passwd', 'passphrase', 'token', 'credential', 'credentials', 'cookie',
  'signature', 'sig', 'authorization', 'apikey', 'accesskey', 'secretkey', 'privatekey',
]);
const HARMLESS_KEY_QUALIFIERS = new Set([
  'metric', 'param', 'tag', 'sort', 'cache', 'partition', 'primary', 'foreign', 'row', 'object', 'map',
  'lookup', 'group', 'hash', 'index', 'unique', 'join', 'field', 'column', 'label', 'translation', 'i18n',
  'config', 'registry', 'run', 'model', 'experiment', 'artifact', 'file', 'path', 'dedup', 'dedupe',
  'routing', 'order', 'public', 'idempotency', 'react', 'item', 'entry', 'dict', 'json', 'lock', 'shard',
]);

/** True when the value under this key must be hidden (see the rule at the top of this file). */
export function isSecretFieldKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  if (words.length === 1 && words[0] === 'auth') return true;
  for (let i = 0; i < words.length; i++) {
    if (SECRET_WORDS.has(words[i])) return true;
    if (words[i] === 'key' && i > 0 && (i === words.length - 1 || (i === words.length - 2 && words[i + 1] === 'id'))) {
      return !HARMLESS_KEY_QUALIFIERS.has(words[i - 1]);
    }
  }
  return false;
}

const BORING_VALUE = /^(true|false|yes|no|on|off|none|null|undefined|\d+)$/i;

/**
 * Picks the secret values of an environment for `Redactor`: the variables in SECRET_ENV_NAMES, plus any
 * variable whose name passes `isSecretFieldKey` (GITHUB_TOKEN, AWS_ACCESS_KEY_ID …) unless its value is a flag
 * or a number. Values shorter than MIN_SECRET_LENGTH are ignored.
 *
 * @example new WinstonLogger({ secrets: redactionSecretsFromEnv(process.env) });
 */
export function redactionSecretsFromEnv(env: Record<string, string | undefined>): string[] {
  const picked = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (typeof value !== 'string' || value.trim().length < MIN_SECRET_LENGTH) continue;
    if (SECRET_ENV_NAMES.includes(name) || (isSecretFieldKey(name) && !BORING_VALUE.test(value.trim()))) picked.add(value);
  }
  return [...picked];
}

/** `unexpected`: stacks only for errors that are not MlopsErrors (bugs); `all`: every stack. */
export type StackPolicy = 'all' | 'unexpected';

export interface RedactorOptions {
  /** Which Errors keep their stack. Default: `all` when MLOPS_KIT_DEBUG is set, else `unexpected`. */
  stacks?: StackPolicy;
}

/** The debug switch (MLOPS_KIT_DEBUG=1) shows every stack; without it expected failures are one line. */
export function defaultStackPolicy(env: Record<string, string | undefined> = process.env): StackPolicy {
  const debug = env.MLOPS_KIT_DEBUG;
  return debug !== undefined && debug !== '' && debug !== '0' && debug.toLowerCase() !== 'false' ? 'all' : 'unexpected';
}

/** What an Error becomes in log fields: plain, JSON-safe and redacted. */
export interface SerializedError {
  name: string;
  message: string;
  code?: string | number;
  status?: number;
  stack?: string;
  details?: unknown;
  cause?: unknown;
}

const MAX_DEPTH = 8;
const AUTH_HEADER = /(\b(?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?:(basic|bearer|token|digest|negotiate)\s+[^\s"',;]+|[^\r\n"']+)/gi;
const BEARER = /\b(bearer)\s+([A-Za-z0-9\-._~+/]{8,}=*)/gi;
const NAME_VALUE = /([A-Za-z0-9_.-]+)=("[^"]*"|'[^']*'|[^\s&#,;"']+)/g;
const JSON_PAIR = /"([^"\\]{1,64})"(\s*:\s*)("(?:[^"\\]|\\.)*"|[^,}\]\s]+)/g;

/**
 * Applies both nets to text, field trees and Errors. Cheap when there is nothing to hide: each pattern is
 * guarded by a substring check, and known secrets are found with `includes`.
 *
 * @example
 * const r = new Redactor(['hunter22']);
 * r.text('login with hunter22 at https://bob:pw@host'); // 'login with *** at https://bob:***@host'
 * r.fields({ apiKey: 'abc', metricKey: 'acc' });      // { apiKey: '***', metricKey: 'acc' }
 */
export class Redactor {
  private readonly secrets: string[];
  private readonly fragments: SecretFragments;
  private readonly stacks: StackPolicy;

  constructor(secrets: Iterable<string> = [], options: RedactorOptions = {}) {
    this.stacks = options.stacks ?? defaultStackPolicy();
    const variants = new Set<string>();
    for (const secret of secrets) {
      if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
      variants.add(secret);
      // a password inside a URL or a form body is usually percent-encoded
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret) variants.add(encoded);
    }
    // longest first, so a secret that contains another one is hidden whole
    this.secrets = [...variants].sort((a, b) => b.length - a.length);
    this.fragments = new SecretFragments(this.secrets);
  }

  /** Redacts secrets inside free text (messages, string values, stacks). */
  text(input: string): string {
    let out = input;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    out = maskUrlCredentials(out, REDACTED);
    if (/authoriz|bearer/i.test(out)) {
      out = out
        .replace(AUTH_HEADER, (_all, prefix: string, scheme?: string) => `${prefix}${scheme ? `${scheme} ` : ''}${REDACTED}`)
        .replace(BEARER, (all, scheme: string, token: string) =>
          token === REDACTED || !/[0-9\-._~+/=]/.test(token) ? all : `${scheme} ${REDACTED}`,
        );
    }
    if (out.includes('=')) out = out.replace(NAME_VALUE, (all, name: string) => (isSecretFieldKey(name) ? `${name}=${REDACTED}` : all));
    if (out.includes('":')) {
      out = out.replace(JSON_PAIR, (all, name: string, colon: string, value: string) =>
        isSecretFieldKey(name) && value !== 'null' && value !== '""' ? `"${name}"${colon}"${REDACTED}"` : all,
      );
    }
    // last, so the rules above still see whole values: a parser quoting the first characters of a body
    // ("PWSECRETzq"... is not valid JSON) leaks a piece, not the whole secret
    return this.fragments.mask(out, REDACTED);
  }

  /** Redacts a fields record: secret-looking keys at any depth, secret values in every string. */
  fields(fields: Record<string, unknown>): Record<string, unknown> {
    return this.object(fields, 0, new WeakSet([fields]));
  }

  /** Redacts any value into a JSON-safe copy: Errors serialized, cycles cut, depth bounded. */
  value(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
    switch (typeof value) {
      case 'string':
        return this.text(value);
      case 'bigint':
        return value.toString();
      case 'symbol':
        return value.toString();
      case 'function':
        return `[Function ${value.name || 'anonymous'}]`;
      case 'object':
        break;
      default:
        return value;
    }
    if (value === null) return null;
    if (seen.has(value)) return '[Circular]';
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    if (value instanceof URL) return this.text(value.href);
    if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
    if (depth >= MAX_DEPTH) return Array.isArray(value) ? '[Array]' : '[Object]';
    seen.add(value);
    try {
      if (value instanceof Error) return this.error(value, depth, seen);
      if (Array.isArray(value)) return value.map((item) => this.value(item, depth + 1, seen));
      if (value instanceof Set) return [...value].map((item) => this.value(item, depth + 1, seen));
      if (value instanceof Map) {
        return this.object(Object.fromEntries([...value].map(([k, v]) => [String(k), v])), depth, seen);
      }
      return this.object(value as Record<string, unknown>, depth, seen);
    } finally {
      // only ancestors count as cycles: the same object twice side by side is printed twice
      seen.delete(value);
    }
  }

  /** Name, message, code, status, stack, details and cause of an Error, redacted. Other properties
   * are left out on purpose: HTTP client errors carry whole requests (headers included). */
  error(error: Error, depth = 0, seen: WeakSet<object> = new WeakSet()): SerializedError {
    const extra = error as Error & { code?: unknown; status?: unknown; details?: unknown };
    const out: SerializedError = { name: error.name, message: this.text(String(error.message)) };
    if (typeof extra.code === 'string' || typeof extra.code === 'number') out.code = extra.code;
    if (typeof extra.status === 'number') out.status = extra.status;
    // an expected failure (an MlopsError: bad input, not found, server refused) is its message; stacks are for bugs
    const expected = errorCodeOf(error) !== undefined;
    if (typeof error.stack === 'string' && (this.stacks === 'all' || !expected)) out.stack = this.text(error.stack);
    if (extra.details && typeof extra.details === 'object' && Object.keys(extra.details).length > 0) {
      out.details = this.value(extra.details, depth + 1, seen);
    }
    if (error.cause !== undefined) out.cause = this.value(error.cause, depth + 1, seen);
    return out;
  }

  private object(source: Record<string, unknown>, depth: number, seen: WeakSet<object>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(source)) {
      out[key] = isSecretFieldKey(key) ? hide(item) : this.value(item, depth + 1, seen);
    }
    return out;
  }
}

/** Unset stays visible as unset, so a reader can still tell "no password" from "a password". */
function hide(value: unknown): unknown {
  return value === undefined || value === null || value === '' ? value : REDACTED;
}
