import { ConfigError, ErrorCodes } from '../../../domain/errors';

/** A resolved value and where it came from (`tracking.maxRetries` or `MLFLOW_HTTP_REQUEST_MAX_RETRIES`), for messages. */
export interface Picked<T> {
  value: T;
  source: string;
}

type Env = Record<string, string | undefined>;

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const BOOLEANS: Record<string, boolean> = { true: true, false: false, '1': true, '0': false, yes: true, no: false, on: true, off: false };

const blank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** The config value when set, else the environment variable; blank strings count as unset. */
export function firstSet(configValue: string | undefined, configKey: string, env: Env, variable: string): Picked<string> | undefined {
  if (!blank(configValue)) return { value: configValue as string, source: configKey };
  const fromEnv = env[variable];
  return blank(fromEnv) ? undefined : { value: (fromEnv as string).trim(), source: variable };
}

export interface NumberRule {
  integer?: boolean;
  min?: number;
  exclusiveMin?: boolean;
}

/** A number from config or environment, checked against `rule`; the default when neither is set. */
export function envNumber(configValue: number | undefined, configKey: string, env: Env, variable: string, fallback: number, rule: NumberRule): Picked<number> {
  let picked: Picked<number>;
  if (!blank(configValue)) {
    picked = { value: Number(configValue), source: configKey };
  } else if (!blank(env[variable])) {
    const raw = (env[variable] as string).trim();
    if (!NUMBER.test(raw)) throw badNumber(variable, raw, rule);
    picked = { value: Number(raw), source: variable };
  } else {
    return { value: fallback, source: 'default' };
  }
  const { value } = picked;
  const tooSmall = rule.min !== undefined && (rule.exclusiveMin ? value <= rule.min : value < rule.min);
  if (!Number.isFinite(value) || tooSmall || (rule.integer && !Number.isInteger(value))) {
    throw badNumber(picked.source, String(configValue ?? env[variable]), rule);
  }
  return picked;
}

/** A boolean from config or environment ("true"/"false", "1"/"0", yes/no, on/off); false when unset. */
export function envBoolean(configValue: boolean | undefined, configKey: string, env: Env, variable: string): Picked<boolean> {
  if (typeof configValue === 'boolean') return { value: configValue, source: configKey };
  const raw = env[variable];
  if (blank(raw)) return { value: false, source: 'default' };
  const value = BOOLEANS[(raw as string).trim().toLowerCase()];
  if (value === undefined) {
    throw new ConfigError(`${variable}="${raw}" is not a boolean: use true or false.`, ErrorCodes.CONFIG_INVALID, {
      details: { source: variable },
    });
  }
  return { value, source: variable };
}

/**
 * Splits `https://user:pass@host/x` into the URI without credentials and the credentials, so the URI
 * can appear in messages. A URI that does not parse is returned unchanged (validated by the caller).
 */
export function splitUserInfo(uri: string): { uri: string; userInfo?: { username: string; password: string } } {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return splitUnencodedUserInfo(uri);
  }
  if (!url.username && !url.password) return { uri };
  const userInfo = { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  url.username = '';
  url.password = '';
  return { uri: url.toString(), userInfo };
}

/**
 * `https://bob:Xy7/Qz+9@host` is not a valid URL (the "/" in the password ends the authority), but it is
 * what people paste: take everything up to the LAST "@" as the credentials, so they never stay in the URI.
 */
function splitUnencodedUserInfo(uri: string): { uri: string; userInfo?: { username: string; password: string } } {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)(\S*)@([^@]*)$/i.exec(uri.trim());
  if (!match) return { uri };
  const [, scheme, credentials, rest] = match;
  const colon = credentials!.indexOf(':');
  const username = colon < 0 ? credentials! : credentials!.slice(0, colon);
  const password = colon < 0 ? '' : credentials!.slice(colon + 1);
  const safe = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  return { uri: `${scheme}${rest}`, userInfo: { username: safe(username), password: safe(password) } };
}

function badNumber(source: string, raw: string, rule: NumberRule): ConfigError {
  const kind = rule.integer ? 'a whole number' : 'a number';
  const bound = rule.min === undefined ? '' : rule.exclusiveMin ? ` greater than ${rule.min}` : ` of at least ${rule.min}`;
  return new ConfigError(`${source}="${raw}" is not valid: use ${kind}${bound}.`, ErrorCodes.CONFIG_INVALID, {
    details: { source },
  });
}
