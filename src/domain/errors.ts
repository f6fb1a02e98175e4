/**
 * The error hierarchy every layer throws. Each error carries a stable `code` that callers and tests
 * match on (messages may be reworded; codes never change) and a message a person can act on:
 * what went wrong, where (file, key path, URI) and how to fix it.
 *
 * @example
 * try { await registry.getModelVersion('churn', 7); }
 * catch (e) { if (e instanceof NotFoundError && e.code === ErrorCodes.MODEL_VERSION_NOT_FOUND) ... }
 */
export const ErrorCodes = {
  // configuration and usage (exit code 2)
  CONFIG_INVALID: 'CONFIG_INVALID',
  CONFIG_MISSING_ENV: 'CONFIG_MISSING_ENV',
  CONFIG_PARSE: 'CONFIG_PARSE',
  CONFIG_FILE_NOT_FOUND: 'CONFIG_FILE_NOT_FOUND',
  CONFIG_UNKNOWN_KIND: 'CONFIG_UNKNOWN_KIND',
  CONFIG_BAD_OVERRIDE: 'CONFIG_BAD_OVERRIDE',
  /** A config file over the size limit, or nested deeper than the depth limit. */
  CONFIG_TOO_LARGE: 'CONFIG_TOO_LARGE',
  /** A path in the config that cannot work: a missing input file, a directory where a file goes, /proc … */
  CONFIG_BAD_PATH: 'CONFIG_BAD_PATH',
  USAGE: 'USAGE',
  ADAPTER_NOT_AVAILABLE: 'ADAPTER_NOT_AVAILABLE',
  // input validation
  VALIDATION: 'VALIDATION',
  INVALID_KEY: 'INVALID_KEY',
  INVALID_ALIAS: 'INVALID_ALIAS',
  INVALID_MODEL_NAME: 'INVALID_MODEL_NAME',
  INVALID_EXPERIMENT_NAME: 'INVALID_EXPERIMENT_NAME',
  /** A file path argument that cannot be used (output = input, output is a directory). */
  INVALID_PATH: 'INVALID_PATH',
  // lookups
  NOT_FOUND: 'NOT_FOUND',
  EXPERIMENT_NOT_FOUND: 'EXPERIMENT_NOT_FOUND',
  RUN_NOT_FOUND: 'RUN_NOT_FOUND',
  MODEL_NOT_FOUND: 'MODEL_NOT_FOUND',
  MODEL_VERSION_NOT_FOUND: 'MODEL_VERSION_NOT_FOUND',
  MODEL_HAS_NO_VERSIONS: 'MODEL_HAS_NO_VERSIONS',
  MODEL_ALIAS_NOT_FOUND: 'MODEL_ALIAS_NOT_FOUND',
  ARTIFACT_NOT_FOUND: 'ARTIFACT_NOT_FOUND',
  // models: loading and scoring
  /** A request's rows or columns break the model's signature (missing, extra or mistyped column): a 400. */
  MODEL_INPUT_INVALID: 'MODEL_INPUT_INVALID',
  /** The model has no flavor any registered loader scores (e.g. a pickled sklearn model): export it to ONNX. */
  MODEL_FLAVOR_UNSUPPORTED: 'MODEL_FLAVOR_UNSUPPORTED',
  /** The model's files cannot be loaded: corrupt or truncated, or its inputs contradict its signature. */
  MODEL_LOAD_FAILED: 'MODEL_LOAD_FAILED',
  /** The model's files are over the documented size bound. */
  MODEL_TOO_LARGE: 'MODEL_TOO_LARGE',
  /** A predictor has no model to serve yet (its first load failed or is still running): a 503. */
  MODEL_NOT_READY: 'MODEL_NOT_READY',
  // state
  CONFLICT: 'CONFLICT',
  ALREADY_EXISTS: 'ALREADY_EXISTS',
  /** Keys `a` and `a/b` cannot both exist in a file store: one would be a file and a directory at once. */
  KEY_CONFLICT: 'KEY_CONFLICT',
  // remote side
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  TRACKER_UNAVAILABLE: 'TRACKER_UNAVAILABLE',
  ARTIFACT_STORE_UNAVAILABLE: 'ARTIFACT_STORE_UNAVAILABLE',
  REMOTE_ERROR: 'REMOTE_ERROR',
  STORE_CORRUPT: 'STORE_CORRUPT',
  // jobs
  JOB_FAILED: 'JOB_FAILED',
  JOB_INTERRUPTED: 'JOB_INTERRUPTED',
  BRANCH_TIMEOUT: 'BRANCH_TIMEOUT',
  // runtime
  RUNTIME_CLOSED: 'RUNTIME_CLOSED',
} as const;
/**
 * One of the stable codes in {@link ErrorCodes}: what every MlopsError carries as `code`, and what an
 * app matches on instead of messages.
 *
 * @example const code: ErrorCode | undefined = errorCodeOf(error); if (code === ErrorCodes.RUNTIME_CLOSED) res.status(503);
 */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/**
 * The optional parts of an mlops-kit error: the error it wraps and structured details.
 *
 * @example throw new NotFoundError('Model "churn" has no alias "Champion".', ErrorCodes.MODEL_ALIAS_NOT_FOUND, { details: { model: 'churn', alias: 'Champion' } });
 */
export interface MlopsErrorOptions {
  /** The underlying error, kept as the standard `Error.cause`. */
  cause?: unknown;
  /** Structured context (file, keyPath, uri, status …). Never put secrets here. */
  details?: Record<string, unknown>;
}

/** Base of every mlops-kit error: a stable `code`, an actionable message, optional details.
 *
 * @example if (error instanceof MlopsError) console.error(error.code, error.message);
 */
export class MlopsError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: MlopsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

/**
 * A configuration file, variable or override is wrong. The CLI exits with code 2.
 *
 * @example throw new ConfigError('job.yaml: job.alias: must be a string. Quote it.', ErrorCodes.CONFIG_INVALID, { details: { file: 'job.yaml', keyPath: 'job.alias' } });
 */
export class ConfigError extends MlopsError {
  constructor(message: string, code: ErrorCode = ErrorCodes.CONFIG_INVALID, options?: MlopsErrorOptions) {
    super(code, message, options);
  }
}

/**
 * The command line itself is wrong (unknown flag, missing file argument). The CLI exits with code 2.
 *
 * @example throw new UsageError('--profile: unknown profile "staging". Use one of: local, production, test.');
 */
export class UsageError extends MlopsError {
  constructor(message: string, options?: MlopsErrorOptions) {
    super(ErrorCodes.USAGE, message, options);
  }
}

/**
 * An argument breaks a rule (bad metric key, reserved alias …), caught before any remote call.
 *
 * @example throw new ValidationError('Invalid model alias "latest": reserved by MLflow.', ErrorCodes.INVALID_ALIAS);
 */
export class ValidationError extends MlopsError {
  constructor(message: string, code: ErrorCode = ErrorCodes.VALIDATION, options?: MlopsErrorOptions) {
    super(code, message, options);
  }
}

/**
 * The thing asked for does not exist (experiment, run, model, version, alias, artifact).
 *
 * @example if (e instanceof NotFoundError && e.code === ErrorCodes.MODEL_ALIAS_NOT_FOUND) { … }
 */
export class NotFoundError extends MlopsError {
  constructor(message: string, code: ErrorCode = ErrorCodes.NOT_FOUND, options?: MlopsErrorOptions) {
    super(code, message, options);
  }
}

/**
 * The request conflicts with existing state (already exists, param re-logged with another value).
 *
 * @example throw new ConflictError('Param "lr" of run r1 is 0.1; it cannot become 0.2.', ErrorCodes.CONFLICT);
 */
export class ConflictError extends MlopsError {
  constructor(message: string, code: ErrorCode = ErrorCodes.CONFLICT, options?: MlopsErrorOptions) {
    super(code, message, options);
  }
}

/**
 * The server refused our credentials (401) or our permissions (403).
 *
 * @example if (e instanceof UnauthorizedError) console.error('check MLFLOW_TRACKING_TOKEN');
 */
export class UnauthorizedError extends MlopsError {
  constructor(message: string, code: ErrorCode = ErrorCodes.UNAUTHORIZED, options?: MlopsErrorOptions) {
    super(code, message, options);
  }
}

/**
 * The tracking server (or artifact store) cannot be reached or keeps failing after retries.
 *
 * @example if (e instanceof TrackerUnavailableError) console.error(`retry later: ${e.message}`);
 */
export class TrackerUnavailableError extends MlopsError {
  constructor(message: string, code: ErrorCode = ErrorCodes.TRACKER_UNAVAILABLE, options?: MlopsErrorOptions) {
    super(code, message, options);
  }
}

/**
 * The server answered with an error that maps to nothing more specific.
 *
 * @example if (e instanceof RemoteError) console.error(e.details.status, e.message);
 */
export class RemoteError extends MlopsError {
  constructor(message: string, options?: MlopsErrorOptions) {
    super(ErrorCodes.REMOTE_ERROR, message, options);
  }
}

/**
 * A local store file is unreadable or malformed.
 *
 * @example throw new StoreCorruptError(`${file}: not valid YAML; restore it or remove the run.`, { details: { file } });
 */
export class StoreCorruptError extends MlopsError {
  constructor(message: string, options?: MlopsErrorOptions) {
    super(ErrorCodes.STORE_CORRUPT, message, options);
  }
}

/**
 * A model could not be loaded or scored for a reason in the model itself: no flavor mlops-kit scores
 * (MODEL_FLAVOR_UNSUPPORTED), corrupt files or inputs that contradict the signature (MODEL_LOAD_FAILED),
 * files over the size bound (MODEL_TOO_LARGE), or nothing loaded yet (MODEL_NOT_READY).
 *
 * @example if (e instanceof ModelLoadError && e.code === ErrorCodes.MODEL_FLAVOR_UNSUPPORTED) console.error('export the model to ONNX');
 */
export class ModelLoadError extends MlopsError {
  constructor(message: string, code: ErrorCode = ErrorCodes.MODEL_LOAD_FAILED, options?: MlopsErrorOptions) {
    super(code, message, options);
  }
}

/**
 * The job was stopped before it finished: by SIGINT/SIGTERM, by its caller's AbortSignal, or by a
 * runtime closing past its deadline. Its open runs end KILLED.
 *
 * @example throw new JobInterruptedError('SIGTERM');
 */
export class JobInterruptedError extends MlopsError {
  /** What stopped it: a signal name, `cancelled`, or `runtime closed`. */
  readonly signal: string;
  constructor(signal: string) {
    super(ErrorCodes.JOB_INTERRUPTED, `Job interrupted (${signal}); its open runs were marked KILLED.`);
    this.signal = signal;
  }
}

/**
 * A job was submitted to a runtime that is closing or closed.
 *
 * @example if (error instanceof RuntimeClosedError) res.writeHead(503).end('shutting down');
 */
export class RuntimeClosedError extends MlopsError {
  constructor(message = 'The job runtime is closing or closed: it accepts no new jobs. Start it again, or submit before close().') {
    super(ErrorCodes.RUNTIME_CLOSED, message);
  }
}

/**
 * True for errors that mean "the user's input is wrong" (CLI exit code 2) rather than "the job failed".
 * Read by code as well as by class: an app's job module loads mlops-kit's public entry while the CLI runs
 * its own bundle, so the same error class can exist twice; the codes are the same strings in both.
 *
 * @example process.exitCode = isUsageOrConfigError(error) ? 2 : 1;
 */
export function isUsageOrConfigError(error: unknown): boolean {
  if (error instanceof ConfigError || error instanceof UsageError) return true;
  const code = errorCodeOf(error);
  return code !== undefined && (code.startsWith('CONFIG_') || code === ErrorCodes.USAGE || code === ErrorCodes.ADAPTER_NOT_AVAILABLE);
}

/**
 * The stable code of an mlops-kit error, read by shape rather than `instanceof`, so an error from another
 * copy of the package (an app's job module beside the CLI's bundle) keeps its code. Undefined for any
 * other error (Node's `ENOENT`-style codes are not ours: ours are upper-case words joined by `_`).
 *
 * @example errorCodeOf(new ConfigError('…')); // 'CONFIG_INVALID'
 */
export function errorCodeOf(error: unknown): ErrorCode | undefined {
  if (error instanceof MlopsError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && (Object.values(ErrorCodes) as string[]).includes(code) ? (code as ErrorCode) : undefined;
}
