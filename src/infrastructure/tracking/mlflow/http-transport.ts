import axios, { AxiosError, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import axiosRetry from 'axios-retry';
import { TrackerUnavailableError } from '../../../domain/errors';
import type { HttpAgents } from './http-agents';
import { isRetryableError, retryDelayMs, type BackoffSettings } from '../shared/retry-policy';
import { PROBE_RETRY_DELAY_MS, type ServerHealth } from './server-health';

/** Per-request knobs the transport reads from the axios config (set by the REST client or the artifact proxy). */
export interface TransportFlags {
  /** A first contact: short deadline, one retry, and a failure marks the server down. */
  mlopsProbe?: boolean;
  /** Total deadline of one attempt in ms, replacing the default (a large upload asks for more). */
  mlopsDeadlineMs?: number;
}

/** What the transport keeps on a request's config between its attempts. */
interface RequestState {
  mode: 'normal' | 'probe';
  startedAt: number;
  timer?: NodeJS.Timeout;
  deadlineHit?: boolean;
}

// a string key: axios copies a config's own string keys onto each retry's config, not symbols
const STATE = 'mlopsTransport';
type StatefulConfig = InternalAxiosRequestConfig & TransportFlags & { [STATE]?: RequestState };

export interface TransportOptions extends BackoffSettings {
  baseURL: string;
  timeoutSeconds: number;
  maxRetries: number;
  headers: Record<string, string>;
  agents: HttpAgents;
  health: ServerHealth;
  random: () => number;
  /** Told about each retry before it waits. */
  onRetry(retry: number, error: AxiosError, delayMs: number, config: InternalAxiosRequestConfig): void;
}

/**
 * The one axios instance per client, with the rules every MLflow request follows:
 * - a TOTAL deadline per attempt (`timeoutSeconds`, or the short probe deadline): the attempt is aborted
 *   however slowly the body drips, and an endless body is cut. A timed-out attempt counts as ECONNABORTED;
 * - the shared ServerHealth: no request is sent while the server is known down, a request stops retrying
 *   as soon as any other found it down, and its outcome updates the health;
 * - MLflow's retry policy (retry-policy.ts) within a wall-clock budget.
 * For a streamed answer (artifact download) the deadline covers the wait for the headers; the body is
 * then bounded by the socket's idle timeout, since a large file legitimately takes long.
 *
 * @example
 * const http = createTransport({ baseURL, timeoutSeconds: 120, maxRetries: 7, backoffFactor: 2, backoffJitter: 1, headers, agents, health, random: Math.random, onRetry });
 */
export function createTransport(options: TransportOptions): AxiosInstance {
  const { health } = options;
  const timeoutMs = Math.round(options.timeoutSeconds * 1000);
  const http = axios.create({
    baseURL: options.baseURL,
    timeout: timeoutMs,
    httpAgent: options.agents.httpAgent,
    httpsAgent: options.agents.httpsAgent,
    headers: options.headers,
    maxBodyLength: Infinity,
    maxContentLength: Infinity,
    // a redirect would resend credentials to wherever it points; MLflow servers do not redirect API calls
    maxRedirects: 0,
  });

  http.interceptors.request.use((config: StatefulConfig) => {
    let state = config[STATE];
    if (state === undefined) {
      const mode = config.mlopsProbe ? 'probe' : health.admit((config.method ?? 'get').toUpperCase(), routeOf(config.url));
      state = { mode, startedAt: Date.now() };
      config[STATE] = state;
    } else if (state.mode === 'normal') {
      // a retry whose wait outlived the outage decision of another request is not sent
      health.throwIfDown((config.method ?? 'get').toUpperCase(), routeOf(config.url));
    }
    const deadline = state.mode === 'probe' ? Math.min(health.probeDeadlineMs, config.mlopsDeadlineMs ?? timeoutMs) : (config.mlopsDeadlineMs ?? timeoutMs);
    const controller = new AbortController();
    state.deadlineHit = false;
    if (state.timer !== undefined) clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.deadlineHit = true;
      controller.abort();
    }, deadline);
    state.timer.unref();
    config.signal = controller.signal;
    config.timeout = deadline;
    return config;
  });

  // before axios-retry: each attempt's timer is cleared, and a deadline abort reads as a timeout (retryable)
  http.interceptors.response.use(
    (response) => {
      clearDeadline(response.config as StatefulConfig);
      return response;
    },
    (error: unknown) => {
      if (error instanceof AxiosError && error.config) {
        const state = (error.config as StatefulConfig)[STATE];
        clearDeadline(error.config as StatefulConfig);
        if (state?.deadlineHit) {
          error.code = AxiosError.ECONNABORTED;
          error.message = `timeout of ${error.config.timeout ?? timeoutMs}ms exceeded (total deadline)`;
        }
      }
      return Promise.reject(error);
    },
  );

  axiosRetry(http, {
    retries: options.maxRetries,
    retryCondition: (error) => {
      const state = (error.config as StatefulConfig | undefined)?.[STATE];
      if (!isRetryableError(error) || state === undefined) return false;
      return health.mayRetry(state.mode, retryCountOf(error.config), state.startedAt);
    },
    retryDelay: (retry, error) => {
      const state = (error.config as StatefulConfig | undefined)?.[STATE];
      const delayMs = state?.mode === 'probe' ? PROBE_RETRY_DELAY_MS : retryDelayMs(retry, error, options, options.random);
      if (error.config) options.onRetry(retry, error, delayMs, error.config);
      return delayMs;
    },
    shouldResetTimeout: true,
  });

  // after axios-retry: the final outcome of the request tells the shared health
  http.interceptors.response.use(
    (response) => {
      health.reportUp();
      return response;
    },
    (error: unknown) => {
      if (error instanceof AxiosError) {
        const state = (error.config as StatefulConfig | undefined)?.[STATE];
        if (error.response && !isRetryableError(error)) {
          // an MLflow error answer (400, 404 …) still proves the server is up; a plain page does not
          if (typeof error.response.data === 'string' && looksLikeMlflowError(error.response.data)) health.reportUp();
          else if (state?.mode === 'probe' && health.state !== 'up') health.reportDown(unavailable(health, error));
        } else if (error.code !== 'ERR_CANCELED' || state?.deadlineHit) {
          health.reportDown(unavailable(health, error));
        }
      }
      return Promise.reject(error);
    },
  );
  return http;
}

function clearDeadline(config: StatefulConfig): void {
  const state = config[STATE];
  if (state?.timer !== undefined) {
    clearTimeout(state.timer);
    state.timer = undefined;
  }
}

function retryCountOf(config: InternalAxiosRequestConfig | undefined): number {
  return (config as { 'axios-retry'?: { retryCount?: number } } | undefined)?.['axios-retry']?.retryCount ?? 0;
}

function looksLikeMlflowError(text: string): boolean {
  try {
    const value = JSON.parse(text) as { error_code?: unknown };
    return typeof value?.error_code === 'string';
  } catch {
    return false;
  }
}

function unavailable(health: ServerHealth, error: AxiosError): TrackerUnavailableError {
  const reason = error.response ? `HTTP ${error.response.status}` : (error.code ?? error.message);
  return new TrackerUnavailableError(`MLflow server at ${health.uri} did not answer usefully: ${reason}`);
}

/** `api/2.0/mlflow/runs/get?run_id=…` → `runs/get`. */
export function routeOf(url: string | undefined): string {
  return (url ?? '').split('?')[0]!.replace(/^\/?api\/2\.0\/mlflow\//, '');
}
