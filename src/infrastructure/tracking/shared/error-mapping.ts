import { isAxiosError, type AxiosError } from 'axios';
import {
  ConflictError,
  ErrorCodes,
  MlopsError,
  NotFoundError,
  RemoteError,
  TrackerUnavailableError,
  UnauthorizedError,
  ValidationError,
  type ErrorCode,
} from '../../../domain/errors';
import { redactText } from './redact';
import { hasJsonBody, isRetryableError, isTransientNetworkError } from './retry-policy';

/** What the mapper needs to know about the call that failed. Nothing here may be a secret. */
export interface RequestContext {
  method: string;
  /** Route relative to the API root, e.g. `runs/log-batch`. */
  route: string;
  /** Server URI without credentials. */
  uri: string;
  /** Secret values to scrub from any text the server echoes back. */
  secrets?: readonly string[];
  /** Code for a not-found answer (RUN_NOT_FOUND, MODEL_VERSION_NOT_FOUND …). Default NOT_FOUND. */
  notFoundCode?: ErrorCode;
  /** Code for "unavailable" (default TRACKER_UNAVAILABLE; artifact stores pass ARTIFACT_STORE_UNAVAILABLE). */
  unavailableCode?: ErrorCode;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'ENDPOINT_NOT_FOUND', 408: 'DEADLINE_EXCEEDED',
  409: 'RESOURCE_CONFLICT', 429: 'REQUEST_LIMIT_EXCEEDED', 500: 'INTERNAL_ERROR', 502: 'TEMPORARILY_UNAVAILABLE',
  503: 'TEMPORARILY_UNAVAILABLE', 504: 'DEADLINE_EXCEEDED',
};

/**
 * A clean stand-in for the axios error: status and codes only, never the request config or headers.
 *
 * @example new TrackerUnavailableError(message, ErrorCodes.TRACKER_UNAVAILABLE, { cause: new HttpFailure('HTTP 503', 503) });
 */
export class HttpFailure extends Error {
  constructor(message: string, readonly status?: number, readonly errorCode?: string) {
    super(message);
    this.name = 'HttpFailure';
  }
}

/**
 * Turns whatever a request threw into a domain error: MLflow's `error_code` picks the class, the
 * server's message is kept, method + route + server URI are added, and a retryable failure that
 * survived every retry becomes TrackerUnavailableError. The axios error is never attached (its config
 * carries the Authorization header); `cause` is a clean HttpFailure.
 *
 * @example
 * try { await http.get(url); } catch (e) { throw mapHttpError(e, { method: 'GET', route: 'runs/get', uri }); }
 */
export function mapHttpError(error: unknown, ctx: RequestContext): MlopsError {
  if (error instanceof MlopsError) return error;
  if (!isAxiosError(error)) {
    const text = error instanceof Error ? error.message : String(error);
    return new RemoteError(clean(`MLflow ${ctx.method} ${ctx.route} at ${ctx.uri} failed: ${text}`, ctx), { details: baseDetails(ctx) });
  }
  const attempts = attemptsOf(error);
  if (!error.response) return networkError(error, ctx, attempts);
  const { status } = error.response;
  const body = readErrorBody(error.response.data);
  const errorCode = body.errorCode ?? CODE_BY_STATUS[status] ?? `HTTP_${status}`;
  const serverMessage = body.message ?? `HTTP ${status}`;
  const details = { ...baseDetails(ctx), status, errorCode, attempts };
  const cause = new HttpFailure(`HTTP ${status} ${errorCode}`, status, errorCode);
  const what = `MLflow ${ctx.method} ${ctx.route} at ${ctx.uri}`;

  if (isRetryableError(error)) {
    return new TrackerUnavailableError(
      clean(`${what} kept failing: ${status} ${errorCode}: ${serverMessage} (${plural(attempts, 'attempt')}). Check the server's health, or raise MLFLOW_HTTP_REQUEST_MAX_RETRIES.`, ctx),
      ctx.unavailableCode ?? ErrorCodes.TRACKER_UNAVAILABLE,
      { details, cause },
    );
  }
  if (status === 503 && !hasJsonBody(error.response)) {
    return new TrackerUnavailableError(
      clean(`${what} answered 503 (not retried: the server says this feature is switched off): ${serverMessage}`, ctx),
      ctx.unavailableCode ?? ErrorCodes.TRACKER_UNAVAILABLE,
      { details, cause },
    );
  }
  if (status >= 300 && status < 400) {
    // a redirect on an API call usually means the wrong scheme or path, or a login proxy in front of the server
    return new RemoteError(clean(`${what} answered with a redirect (${status}). MLflow API calls are not redirected: check MLFLOW_TRACKING_URI (http vs https, path prefix) or the proxy in front of the server.`, ctx), { details, cause });
  }
  if (status === 404 && body.errorCode === undefined) {
    // no MLflow error body: the route itself is missing, not the resource (wrong URI, or a server without this API)
    return new NotFoundError(clean(`${what} failed: the server has no such route (404 ${serverMessage}). Check that MLFLOW_TRACKING_URI points at an MLflow server of version 2 or later.`, ctx), ErrorCodes.NOT_FOUND, { details, cause });
  }
  const message = clean(`${what} failed: ${errorCode}: ${serverMessage}`, ctx);
  return fromErrorCode(errorCode, message, ctx, { details, cause });
}

function fromErrorCode(errorCode: string, message: string, ctx: RequestContext, options: { details: Record<string, unknown>; cause: Error }): MlopsError {
  switch (errorCode) {
    case 'RESOURCE_DOES_NOT_EXIST':
      return new NotFoundError(message, ctx.notFoundCode ?? ErrorCodes.NOT_FOUND, options);
    case 'ENDPOINT_NOT_FOUND':
      // the route is missing, not the run or model the caller asked about
      return new NotFoundError(message, ErrorCodes.NOT_FOUND, options);
    case 'RESOURCE_ALREADY_EXISTS':
      return new ConflictError(message, ErrorCodes.ALREADY_EXISTS, options);
    case 'INVALID_PARAMETER_VALUE':
    case 'BAD_REQUEST':
    case 'MALFORMED_REQUEST':
    case 'INVALID_STATE':
      // by error_code only: message wording differs between MLflow versions (a changed param is told apart by TrackingApi)
      return new ValidationError(message, ErrorCodes.VALIDATION, options);
    case 'UNAUTHENTICATED':
      return new UnauthorizedError(`${message}. Set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, or MLFLOW_TRACKING_TOKEN.`, ErrorCodes.UNAUTHORIZED, options);
    case 'PERMISSION_DENIED':
      return new UnauthorizedError(`${message}. The credentials were accepted but lack permission: ask the server's admin for access.`, ErrorCodes.FORBIDDEN, options);
    case 'RESOURCE_CONFLICT':
      return new ConflictError(message, ErrorCodes.CONFLICT, options);
    case 'TEMPORARILY_UNAVAILABLE':
      return new TrackerUnavailableError(message, ctx.unavailableCode ?? ErrorCodes.TRACKER_UNAVAILABLE, options);
    default:
      return new RemoteError(message, options);
  }
}

function networkError(error: AxiosError, ctx: RequestContext, attempts: number): MlopsError {
  const code = error.code ?? 'ERROR';
  const details = { ...baseDetails(ctx), networkCode: code, attempts };
  const cause = new HttpFailure(code);
  const where = `MLflow server at ${ctx.uri} (${ctx.method} ${ctx.route})`;
  let message: string;
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    message = `${where} did not answer in time (${plural(attempts, 'attempt')}). Check the server, or raise MLFLOW_HTTP_REQUEST_TIMEOUT.`;
  } else if (isTransientNetworkError(error)) {
    message = `Cannot reach ${where}: ${code} after ${plural(attempts, 'attempt')}. Check that the server is running and that MLFLOW_TRACKING_URI is right.`;
  } else if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/i.test(code)) {
    message = `TLS handshake with ${where} failed: ${code}. Trust the server's CA with MLFLOW_TRACKING_SERVER_CERT_PATH, or (for testing only) set MLFLOW_TRACKING_INSECURE_TLS=true.`;
  } else if (code === 'ENOTFOUND') {
    message = `Cannot resolve the host of ${where}: ENOTFOUND. Check MLFLOW_TRACKING_URI.`;
  } else {
    message = `Request to ${where} failed: ${code}: ${error.message}`;
  }
  return new TrackerUnavailableError(clean(message, ctx), ctx.unavailableCode ?? ErrorCodes.TRACKER_UNAVAILABLE, { details, cause });
}

/** MLflow's `{"error_code","message"}`; for other bodies (proxy HTML, plain text) the first line of text. */
export function readErrorBody(data: unknown): { errorCode?: string; message?: string } {
  let value = data;
  const text = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : undefined;
  if (text !== undefined) {
    try {
      value = JSON.parse(text);
    } catch {
      const firstLine = text.replace(/<[^>]*>/g, ' ').split('\n').map((l) => l.trim()).find((l) => l.length > 0);
      return { message: firstLine ? firstLine.slice(0, 300) : undefined };
    }
  }
  if (value !== null && typeof value === 'object') {
    const { error_code: errorCode, message } = value as { error_code?: unknown; message?: unknown };
    return {
      errorCode: typeof errorCode === 'string' ? errorCode : undefined,
      message: typeof message === 'string' ? message : undefined,
    };
  }
  return {};
}

function attemptsOf(error: AxiosError): number {
  const state = (error.config as { 'axios-retry'?: { retryCount?: number } } | undefined)?.['axios-retry'];
  return (state?.retryCount ?? 0) + 1;
}

function baseDetails(ctx: RequestContext): Record<string, unknown> {
  return { method: ctx.method, route: ctx.route, uri: redactText(ctx.uri, ctx.secrets) };
}

function clean(message: string, ctx: RequestContext): string {
  return redactText(message, ctx.secrets);
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
