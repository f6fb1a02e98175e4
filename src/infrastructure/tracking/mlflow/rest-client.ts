import axios, { type AxiosError, type AxiosInstance, type AxiosRequestConfig } from 'axios';
import axiosRetry, { type IAxiosRetryConfig } from 'axios-retry';
import { ErrorCodes, TrackerUnavailableError, type ErrorCode } from '../../../domain/errors';
import type { ILogger } from '../../../domain/ports/logger';
import { mapHttpError } from './error-mapping';
import { createHttpAgents, type HttpAgents } from './http-agents';
import { settingsSecrets, type MlflowAuth, type MlflowSettings } from './mlflow-settings';
import { isRetryableError, retryDelayMs } from './retry-policy';
import { buildQuery, parseWire, stringifyWire, type QueryValue } from './wire-json';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  /** GET parameters; arrays become repeated keys. */
  query?: Record<string, QueryValue>;
  /** JSON body (POST, PATCH, PUT and DELETE). */
  body?: unknown;
  /** Code of the NotFoundError a missing resource maps to. */
  notFoundCode?: ErrorCode;
  /**
   * For a create that must not happen twice (see idempotent-create.ts): called after a failed attempt's
   * backoff, right before the request would be sent again. A value it returns is the answer (the first
   * attempt did land; its response was lost), and the request is not re-sent.
   */
  beforeResend?: () => Promise<unknown>;
}

/** Carries what `beforeResend` found out of axios-retry's interceptor, in place of a re-send. */
class ResendAvoided {
  constructor(readonly answer: unknown) {}
}

/** One retry about to happen; what tests and logs see. Never holds headers or bodies. */
export interface RetryEvent {
  method: string;
  route: string;
  /** 1-based number of this retry. */
  retry: number;
  delayMs: number;
  /** HTTP status or network error code that caused it. */
  reason: string;
}

export interface RestClientOptions {
  /** Server root; default the settings' tracking URI (the registry passes its own). */
  baseUri?: string;
  logger?: ILogger;
  onRetry?: (event: RetryEvent) => void;
  /** Source of jitter, for deterministic tests. */
  random?: () => number;
  /** How long requests fail fast after one exhausted its retries (default 30 000 ms; 0 disables). */
  circuitCooldownMs?: number;
}

export const API_PREFIX = 'api/2.0/mlflow/';

/**
 * HTTP client for MLflow's REST API: keep-alive agents, auth header, TLS options, timeout, and the
 * Python client's retry policy (every method, Retry-After honoured, plain-text 503 not retried).
 * Failures come out as domain errors (see error-mapping.ts) without credentials in them.
 *
 * `http` is the same authenticated axios instance with the server root as base URL, for the artifact
 * proxy (`api/2.0/mlflow-artifacts/…`).
 *
 * @example
 * const client = new MlflowRestClient(resolveMlflowSettings(config.tracking, process.env));
 * const { experiment } = await client.request<{ experiment: WireExperiment }>('GET', 'experiments/get-by-name', { query: { experiment_name: 'Default' } });
 * client.close();
 */
export class MlflowRestClient {
  readonly baseUri: string;
  readonly http: AxiosInstance;
  private readonly agents: HttpAgents;
  private readonly secrets: string[];
  /** Delay chosen for the retry of each request config, so the retry report can say how long it waits. */
  private readonly delays = new WeakMap<object, number>();
  /**
   * Circuit breaker: after a request has used up its whole retry budget, further requests fail at once
   * until this time. Without it, every queued batch of a job whose server went away would wait out its
   * own retry budget (minutes each) before it could be spilled.
   */
  private circuitOpenUntil = 0;
  private readonly circuitCooldownMs: number;

  constructor(private readonly settings: MlflowSettings, private readonly options: RestClientOptions = {}) {
    this.baseUri = (options.baseUri ?? settings.trackingUri).replace(/\/+$/, '');
    this.secrets = settingsSecrets(settings);
    this.circuitCooldownMs = options.circuitCooldownMs ?? 30_000;
    this.agents = createHttpAgents(settings.tls);
    this.http = axios.create({
      baseURL: this.baseUri,
      timeout: Math.round(settings.timeoutSeconds * 1000),
      httpAgent: this.agents.httpAgent,
      httpsAgent: this.agents.httpsAgent,
      headers: authHeaders(settings.auth),
      maxBodyLength: Infinity,
      maxContentLength: Infinity,
      // a redirect would resend credentials to wherever it points; MLflow servers do not redirect API calls
      maxRedirects: 0,
    });
    const random = options.random ?? Math.random;
    axiosRetry(this.http, {
      retries: settings.maxRetries,
      retryCondition: isRetryableError,
      retryDelay: (retry, error) => {
        const delayMs = retryDelayMs(retry, error, settings, random);
        if (error.config) this.delays.set(error.config, delayMs);
        return delayMs;
      },
      // each attempt gets the whole timeout, as with Python's requests
      shouldResetTimeout: true,
      onRetry: (retry, error, config) => this.reportRetry(retry, error, config, settings.maxRetries),
    });
  }

  /** Calls `<base>/api/2.0/mlflow/<path>` and returns the parsed JSON answer. */
  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const url = `${API_PREFIX}${path}${buildQuery(options.query)}`;
    const hasBody = method !== 'GET' && options.body !== undefined;
    if (Date.now() < this.circuitOpenUntil) {
      throw new TrackerUnavailableError(
        `MLflow ${method} ${path} not sent: the server at ${this.baseUri} did not answer within its retry budget moments ago; retrying again in ${Math.ceil((this.circuitOpenUntil - Date.now()) / 1000)} s.`,
        ErrorCodes.TRACKER_UNAVAILABLE,
        { details: { method, route: path, uri: this.baseUri, circuitOpen: true } },
      );
    }
    try {
      const response = await this.http.request<string>({
        method,
        url,
        data: hasBody ? stringifyWire(options.body) : undefined,
        headers: hasBody ? { 'Content-Type': 'application/json' } : undefined,
        responseType: 'text',
        transformResponse: [(data: unknown) => data],
        ...(options.beforeResend && { 'axios-retry': this.guardedRetry(options.beforeResend) }),
      });
      return parseWire(typeof response.data === 'string' ? response.data : String(response.data ?? '')) as T;
    } catch (error) {
      if (error instanceof ResendAvoided) return error.answer as T;
      const mapped = mapHttpError(error, { method, route: path, uri: this.baseUri, secrets: this.secrets, notFoundCode: options.notFoundCode });
      if (mapped instanceof TrackerUnavailableError && mapped.code === ErrorCodes.TRACKER_UNAVAILABLE) {
        this.circuitOpenUntil = Date.now() + this.circuitCooldownMs;
      }
      throw mapped;
    }
  }

  /**
   * axios-retry options for one request with a `beforeResend` check: the backoff is waited here rather
   * than by axios-retry (which would wait after this hook), so the check runs right before the re-send.
   */
  private guardedRetry(beforeResend: () => Promise<unknown>): IAxiosRetryConfig {
    return {
      retryDelay: () => 0,
      onRetry: async (retry, error, config) => {
        const delayMs = retryDelayMs(retry, error, this.settings, this.options.random ?? Math.random);
        this.delays.set(config, delayMs);
        this.reportRetry(retry, error, config, this.settings.maxRetries);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        const answer = await beforeResend();
        if (answer !== undefined) throw new ResendAvoided(answer);
      },
    };
  }

  /** Closes the keep-alive sockets. */
  close(): void {
    this.agents.destroy();
  }

  private reportRetry(retry: number, error: AxiosError, config: AxiosRequestConfig, maxRetries: number): void {
    const method = (config.method ?? 'get').toUpperCase();
    const route = routeOf(config.url);
    const reason = error.response ? String(error.response.status) : (error.code ?? 'network error');
    const delayMs = this.delays.get(config) ?? 0;
    this.options.logger?.warn(`MLflow ${method} ${route} failed (${reason}); retry ${retry} of ${maxRetries} in ${(delayMs / 1000).toFixed(1)} s`, {
      uri: this.baseUri,
    });
    this.options.onRetry?.({ method, route, retry, delayMs, reason });
  }
}

function authHeaders(auth: MlflowAuth): Record<string, string> {
  if (auth.kind === 'basic') return { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
  if (auth.kind === 'bearer') return { Authorization: `Bearer ${auth.token}` };
  return {};
}

/** `api/2.0/mlflow/runs/get?run_id=…` → `runs/get`. */
function routeOf(url: string | undefined): string {
  return (url ?? '').split('?')[0]!.replace(/^\/?api\/2\.0\/mlflow\//, '');
}
