import type { AxiosError, AxiosResponse } from 'axios';

/**
 * The retry policy of MLflow's Python client (utils/rest_utils.py + urllib3's Retry), which users expect:
 * network errors and 408/429/500/502/503/504 are retried for EVERY method, POST included (axios-retry's
 * default skips POST and timeouts). One exception: a 503 whose body is not JSON is a server that said
 * "this feature is off" (e.g. `--no-serve-artifacts`), not a busy one, so it is reported at once.
 */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Transient socket-level failures. ENOTFOUND and certificate errors are not here: waiting will not fix them. */
const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH',
  'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'ERR_NETWORK', 'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** urllib3 caps a single backoff at 120 s; the same cap bounds a server's Retry-After. */
export const MAX_SINGLE_DELAY_MS = 120_000;

export interface BackoffSettings {
  backoffFactor: number;
  backoffJitter: number;
}

/** True when the failed request should be sent again (budget permitting). */
export function isRetryableError(error: AxiosError): boolean {
  if (error.code === 'ERR_CANCELED') return false;
  const response = error.response;
  if (!response) return isTransientNetworkError(error);
  if (!RETRYABLE_STATUSES.has(response.status)) return false;
  return !(response.status === 503 && !hasJsonBody(response));
}

export function isTransientNetworkError(error: { code?: string; message?: string }): boolean {
  if (error.code && RETRYABLE_NETWORK_CODES.has(error.code)) return true;
  return /socket hang up|timeout of \d+ms exceeded/i.test(error.message ?? '');
}

/**
 * Delay before retry number `retry` (1-based): the server's Retry-After when it sent one, else
 * `factor × 2^(retry−1)` seconds plus a random jitter of up to `jitter` seconds.
 */
export function retryDelayMs(retry: number, error: AxiosError | undefined, settings: BackoffSettings, random: () => number = Math.random): number {
  const fromHeader = retryAfterMs(error?.response?.headers?.['retry-after']);
  if (fromHeader !== undefined) return Math.min(fromHeader, MAX_SINGLE_DELAY_MS);
  const backoff = Math.min(settings.backoffFactor * 1000 * 2 ** (retry - 1), MAX_SINGLE_DELAY_MS);
  return Math.round(backoff + random() * settings.backoffJitter * 1000);
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: unknown, now: number = Date.now()): number | undefined {
  if (typeof header !== 'string' && typeof header !== 'number') return undefined;
  const text = String(header).trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** True when the response body is JSON (MLflow's `{"error_code":…}`), judged by content, then by header. */
export function hasJsonBody(response: Pick<AxiosResponse, 'data' | 'headers'>): boolean {
  const data: unknown = response.data;
  if (typeof data === 'string' || Buffer.isBuffer(data)) return parsesAsJsonObject(data.toString());
  if (data instanceof ArrayBuffer) return parsesAsJsonObject(Buffer.from(data).toString());
  if (data !== null && typeof data === 'object' && typeof (data as { pipe?: unknown }).pipe !== 'function') return true;
  const type = response.headers?.['content-type'];
  return typeof type === 'string' && /json/i.test(type);
}

function parsesAsJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object';
  } catch {
    return false;
  }
}
