import { type ErrorCode, errorCodeOf } from './errors';

/**
 * The HTTP status each error code means for a backend's caller: their input is wrong (400), what they
 * named does not exist (404), it clashes with current state (409), or the fault is on this side (5xx: a
 * tracking server that is down is a 503, one that refuses this service's credentials a 502). One table
 * for every app and framework adapter; a new code without a status does not compile.
 *
 * @example const status = HTTP_STATUS_BY_CODE[ErrorCodes.MODEL_INPUT_INVALID]; // 400
 */
export const HTTP_STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  CONFIG_INVALID: 400,
  CONFIG_MISSING_ENV: 400,
  CONFIG_PARSE: 400,
  CONFIG_FILE_NOT_FOUND: 400,
  CONFIG_UNKNOWN_KIND: 400,
  CONFIG_BAD_OVERRIDE: 400,
  CONFIG_TOO_LARGE: 400,
  CONFIG_BAD_PATH: 400,
  USAGE: 400,
  // an optional package this service needs is not installed: the service's fault, not the caller's
  ADAPTER_NOT_AVAILABLE: 500,
  VALIDATION: 400,
  INVALID_KEY: 400,
  INVALID_ALIAS: 400,
  INVALID_MODEL_NAME: 400,
  INVALID_EXPERIMENT_NAME: 400,
  INVALID_PATH: 400,
  NOT_FOUND: 404,
  EXPERIMENT_NOT_FOUND: 404,
  RUN_NOT_FOUND: 404,
  MODEL_NOT_FOUND: 404,
  MODEL_VERSION_NOT_FOUND: 404,
  MODEL_HAS_NO_VERSIONS: 404,
  MODEL_ALIAS_NOT_FOUND: 404,
  ARTIFACT_NOT_FOUND: 404,
  MODEL_INPUT_INVALID: 400,
  // the model exists but nothing here can score it: the request was fine, the model is not servable
  MODEL_FLAVOR_UNSUPPORTED: 422,
  MODEL_LOAD_FAILED: 500,
  MODEL_TOO_LARGE: 500,
  MODEL_NOT_READY: 503,
  CONFLICT: 409,
  ALREADY_EXISTS: 409,
  KEY_CONFLICT: 409,
  // the tracking server refused THIS service's credentials: a bad gateway, not the caller's login
  UNAUTHORIZED: 502,
  FORBIDDEN: 502,
  TRACKER_UNAVAILABLE: 503,
  ARTIFACT_STORE_UNAVAILABLE: 503,
  REMOTE_ERROR: 502,
  STORE_CORRUPT: 500,
  JOB_FAILED: 500,
  // nginx's "client closed request": the caller went away (or the service is stopping) mid-job
  JOB_INTERRUPTED: 499,
  BRANCH_TIMEOUT: 504,
  RUNTIME_CLOSED: 503,
};

/**
 * The HTTP status for any error a backend catches: the table's entry for an mlops-kit error (read by code,
 * so an error from another copy of the package maps too), 500 for anything else.
 *
 * @example catch (error) { res.writeHead(httpStatusOf(error)).end(JSON.stringify({ code: errorCodeOf(error), message: String(error) })); }
 */
export function httpStatusOf(error: unknown): number {
  const code = errorCodeOf(error);
  return code === undefined ? 500 : HTTP_STATUS_BY_CODE[code];
}
