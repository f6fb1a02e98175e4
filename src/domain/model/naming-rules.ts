import { ConflictError, ErrorCodes, ValidationError } from '../errors';
import type { ModelReference } from './model-version';

/**
 * MLflow's own naming rules (mlflow/utils/validation.py), checked client-side so a bad name fails at
 * the call site with a clear message instead of as a 400 from the server later.
 *
 * @example const batches = Math.ceil(Object.keys(metrics).length / Limits.BATCH_MAX_METRICS);
 */
export const Limits = {
  MAX_KEY_LENGTH: 250,
  MAX_PARAM_VALUE_LENGTH: 6000,
  MAX_TAG_VALUE_LENGTH: 8000,
  MAX_EXPERIMENT_NAME_LENGTH: 500,
  MAX_ALIAS_LENGTH: 255,
  /** A registered model is a directory in file stores: one path component, 255 bytes on every common file system. */
  MAX_MODEL_NAME_BYTES: 255,
  BATCH_MAX_METRICS: 1000,
  BATCH_MAX_PARAMS: 100,
  BATCH_MAX_TAGS: 100,
  BATCH_MAX_ENTITIES: 1000,
  BATCH_MAX_BYTES: 1_000_000,
} as const;

const KEY_PATTERN = /^[/\w.\- :]*$/;
const ALIAS_PATTERN = /^[\w-]*$/;

/**
 * User input as it may be echoed in a message: JSON-quoted (control characters escaped) and cut after
 * `max` characters with the full length stated, so a 10k-character name never floods a terminal.
 *
 * @example echo('x'.repeat(300)); // '"xxxx…" (300 characters)'
 */
export function echo(value: unknown, max = 60): string {
  if (typeof value !== 'string') return String(value);
  if (value.length <= max) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, max)).slice(0, -1)}…" (${value.length} characters)`;
}

/**
 * Throws ValidationError(INVALID_KEY) unless `key` is a valid metric/param/tag key.
 *
 * @example assertValidKey('metric', 'val/rmse'); // passes; '/rmse' or 'a//b' would throw
 */
export function assertValidKey(kind: 'metric' | 'param' | 'tag', key: string): void {
  const fail = (why: string): never => {
    throw new ValidationError(`Invalid ${kind} key ${echo(key)}: ${why}.`, ErrorCodes.INVALID_KEY, {
      details: { kind, key: typeof key === 'string' ? key.slice(0, 300) : key },
    });
  };
  if (typeof key !== 'string' || key.length === 0) fail('keys must be non-empty strings');
  if (key.length > Limits.MAX_KEY_LENGTH) fail(`keys are at most ${Limits.MAX_KEY_LENGTH} characters`);
  if (!KEY_PATTERN.test(key)) fail('use only letters, digits, underscores, dashes, periods, spaces, colons and slashes');
  // MLflow compares the key with its normalised path: "e/" and "a//b" are not what they would be stored as
  if (key.startsWith('/') || key.endsWith('/') || key.includes('//') || key.split('/').some((part) => part === '..' || part === '.')) {
    fail('keys must be normalised paths (no leading or trailing "/", no "//", no "." or ".." segments)');
  }
}

/**
 * The existing key that cannot live next to `key` in a file store, if any: `a` and `a/b` (either order)
 * would need `a` to be a file and a directory at once. MLflow's server stores keys in a table and has no
 * such limit, so this rule is the local store's, stated here so the conflict is a typed error rather
 * than a raw EEXIST/EISDIR/ENOTDIR from the file system.
 *
 * @example conflictingKey('a/b', ['a', 'c']); // 'a'
 */
export function conflictingKey(key: string, existing: Iterable<string>): string | undefined {
  for (const other of existing) {
    if (other !== key && (other.startsWith(`${key}/`) || key.startsWith(`${other}/`))) return other;
  }
  return undefined;
}

/**
 * The ConflictError(KEY_CONFLICT) for a key that collides with another as file and directory; pass the
 * other key when it is known. For a file store to throw instead of EEXIST/EISDIR/ENOTDIR.
 *
 * @example throw keyConflictError('metric', 'a/b', 'a');
 */
export function keyConflictError(kind: 'metric' | 'param' | 'tag', key: string, other?: string): ConflictError {
  const withWhat = other === undefined ? 'a key that is a prefix of it, or that it is a prefix of' : `the existing ${kind} ${echo(other)}`;
  return new ConflictError(
    `Cannot log ${kind} ${echo(key)} to the local store next to ${withWhat}: "a" and "a/b" would make "a" both a file and a directory. Rename one of them (e.g. "a/value" and "a/b").`,
    ErrorCodes.KEY_CONFLICT,
    { details: { kind, key, ...(other === undefined ? {} : { other }) } },
  );
}

/**
 * Throws ValidationError(INVALID_ALIAS) for aliases MLflow would reject or reserves (`latest`, `v<digits>`).
 *
 * @example assertValidAlias(request.alias); // 'Champion' passes; 'latest' or 'v2' throws
 */
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

/**
 * Throws ValidationError(INVALID_MODEL_NAME) for names MLflow cannot store: empty, containing "/" or ":"
 * (MLflow's rules), or unusable as the one directory a file store keeps the model in: "." or "..", "\",
 * "%", NUL or another control character, or more than 255 bytes in UTF-8. Applied everywhere, so a name
 * that works on the local store also works after `mlops-kit sync`.
 *
 * @example assertValidModelName('bike-demand'); // ok
 */
export function assertValidModelName(name: string): void {
  if (typeof name !== 'string' || name.trim().length === 0) {
    throw new ValidationError('Registered model name must be a non-empty string.', ErrorCodes.INVALID_MODEL_NAME);
  }
  const fail = (why: string): never => {
    throw new ValidationError(`Invalid registered model name ${echo(name)}: ${why}.`, ErrorCodes.INVALID_MODEL_NAME, {
      details: { name: name.slice(0, 300) },
    });
  };
  if (name.includes('/') || name.includes(':')) fail('names may not contain "/" or ":"');
  if (name === '.' || name === '..') fail('"." and ".." name directories, not models');
  // eslint-disable-next-line no-control-regex
  if (/[\\%\u0000-\u001f\u007f]/.test(name)) fail('names may not contain "\\", "%" or control characters');
  const bytes = new TextEncoder().encode(name).length;
  if (bytes > Limits.MAX_MODEL_NAME_BYTES) fail(`names are at most ${Limits.MAX_MODEL_NAME_BYTES} bytes in UTF-8, this one is ${bytes}`);
}

/**
 * Throws ValidationError(INVALID_EXPERIMENT_NAME) for an experiment name MLflow refuses: empty, or over
 * 500 characters.
 *
 * @example assertValidExperimentName('churn-2025'); // ok
 */
export function assertValidExperimentName(name: string): void {
  if (typeof name !== 'string' || name.trim().length === 0) {
    throw new ValidationError('Experiment name must be a non-empty string.', ErrorCodes.INVALID_EXPERIMENT_NAME);
  }
  if (name.length > Limits.MAX_EXPERIMENT_NAME_LENGTH) {
    throw new ValidationError(
      `Experiment name ${echo(name)} is too long: MLflow allows at most ${Limits.MAX_EXPERIMENT_NAME_LENGTH} characters.`,
      ErrorCodes.INVALID_EXPERIMENT_NAME,
      { details: { length: name.length } },
    );
  }
}

/**
 * The URI forms a model can be loaded from, for messages that tell a user what to write.
 *
 * @example throw new Error(`job.modelUri: expected ${MODEL_URI_FORMS}`);
 */
export const MODEL_URI_FORMS = 'models:/<name>/<version>, models:/<name>@<alias>, models:/m-<logged model id> or runs:/<run id>/<path>';

/**
 * The logged model id (`m-<32 hex>`) a `models:/m-<id>` URI names (a trailing `/` allowed), else undefined.
 *
 * @example loggedModelIdOf(version.source) // 'm-0123…' for a version of a logged model
 */
export function loggedModelIdOf(uri: string): string | undefined {
  return /^models:\/(m-[0-9a-f]{32})\/?$/.exec(uri)?.[1];
}

/**
 * Parses a model URI into a {@link ModelReference}; anything else is a ValidationError naming the forms.
 *
 * @example
 * parseModelUri('models:/churn/3'); // { kind: 'version', name: 'churn', version: 3 }
 * parseModelUri('runs:/0123456789abcdef0123456789abcdef/model'); // { kind: 'run', runId: '0123…', path: 'model' }
 */
export function parseModelUri(uri: string): ModelReference {
  const modelId = loggedModelIdOf(uri);
  if (modelId !== undefined) return { kind: 'logged-model', modelId };
  const registered = /^models:\/([^/@]+)(?:\/(\d+)|@([\w-]+))$/.exec(uri);
  if (registered) {
    const [, name, version, alias] = registered;
    return version !== undefined ? { kind: 'version', name: name!, version: Number(version) } : { kind: 'alias', name: name!, alias: alias! };
  }
  const run = /^runs:\/([0-9a-f]{32})\/(.+?)\/?$/.exec(uri);
  if (run && !run[2]!.split('/').some((part) => part === '' || part === '.' || part === '..')) return { kind: 'run', runId: run[1]!, path: run[2]! };
  throw new ValidationError(`Invalid model URI ${JSON.stringify(uri)}: expected ${MODEL_URI_FORMS}.`, undefined, { details: { uri } });
}
