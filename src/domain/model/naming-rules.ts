import { ErrorCodes, ValidationError } from '../errors';
import type { ModelReference } from './model-version';

/**
 * MLflow's own naming rules (mlflow/utils/validation.py), checked client-side so a bad name fails at
 * the call site with a clear message instead of as a 400 from the server later.
 */
export const Limits = {
  MAX_KEY_LENGTH: 250,
  MAX_PARAM_VALUE_LENGTH: 6000,
  MAX_TAG_VALUE_LENGTH: 8000,
  MAX_EXPERIMENT_NAME_LENGTH: 500,
  MAX_ALIAS_LENGTH: 255,
  BATCH_MAX_METRICS: 1000,
  BATCH_MAX_PARAMS: 100,
  BATCH_MAX_TAGS: 100,
  BATCH_MAX_ENTITIES: 1000,
  BATCH_MAX_BYTES: 1_000_000,
} as const;

const KEY_PATTERN = /^[/\w.\- :]*$/;
const ALIAS_PATTERN = /^[\w-]*$/;

/** Throws ValidationError(INVALID_KEY) unless `key` is a valid metric/param/tag key. */
export function assertValidKey(kind: 'metric' | 'param' | 'tag', key: string): void {
  const fail = (why: string): never => {
    throw new ValidationError(`Invalid ${kind} key ${JSON.stringify(key)}: ${why}.`, ErrorCodes.INVALID_KEY, {
      details: { kind, key },
    });
  };
  if (typeof key !== 'string' || key.length === 0) fail('keys must be non-empty strings');
  if (key.length > Limits.MAX_KEY_LENGTH) fail(`keys are at most ${Limits.MAX_KEY_LENGTH} characters`);
  if (!KEY_PATTERN.test(key)) fail('use only letters, digits, underscores, dashes, periods, spaces, colons and slashes');
  if (key.startsWith('/') || key.includes('//') || key.split('/').some((part) => part === '..' || part === '.')) {
    fail('keys must be normalised paths (no leading "/", no "//", no "." or ".." segments)');
  }
}

/** Throws ValidationError(INVALID_ALIAS) for aliases MLflow would reject or reserves (`latest`, `v<digits>`). */
export function assertValidAlias(alias: string): void {
  const fail = (why: string): never => {
    throw new ValidationError(`Invalid model alias ${JSON.stringify(alias)}: ${why}.`, ErrorCodes.INVALID_ALIAS, {
      details: { alias },
    });
  };
  if (typeof alias !== 'string' || alias.length === 0) fail('an alias must be a non-empty string');
  if (alias.length > Limits.MAX_ALIAS_LENGTH) fail(`aliases are at most ${Limits.MAX_ALIAS_LENGTH} characters`);
  if (!ALIAS_PATTERN.test(alias)) fail('use only letters, digits, underscores and dashes');
  if (alias.toLowerCase() === 'latest') fail('"latest" is reserved by MLflow; pick another name such as "Champion"');
  if (/^v\d+$/i.test(alias)) fail('"v<digits>" is reserved by MLflow for version references');
}

/** Throws ValidationError(INVALID_MODEL_NAME) for names MLflow cannot store. */
export function assertValidModelName(name: string): void {
  if (typeof name !== 'string' || name.trim().length === 0) {
    throw new ValidationError('Registered model name must be a non-empty string.', ErrorCodes.INVALID_MODEL_NAME);
  }
  if (name.includes('/') || name.includes(':')) {
    throw new ValidationError(
      `Invalid registered model name ${JSON.stringify(name)}: names may not contain "/" or ":".`,
      ErrorCodes.INVALID_MODEL_NAME,
      { details: { name } },
    );
  }
}

/** Parses `models:/name/3` or `models:/name@alias`. */
export function parseModelUri(uri: string): ModelReference {
  const match = /^models:\/([^/@]+)(?:\/(\d+)|@([\w-]+))$/.exec(uri);
  if (!match) {
    throw new ValidationError(
      `Invalid model URI ${JSON.stringify(uri)}: expected models:/<name>/<version> or models:/<name>@<alias>.`,
    );
  }
  const [, name, version, alias] = match;
  return version !== undefined ? { name: name!, version: Number(version) } : { name: name!, alias: alias! };
}
