import type { AxiosError, AxiosInstance, AxiosRequestConfig, InternalAxiosRequestConfig } from 'axios';
import type { IAxiosRetryConfig } from 'axios-retry';
import { ErrorCodes, MlopsError, NotFoundError, TrackerUnavailableError, type ErrorCode } from '../../../domain/errors';
import type { ILogger } from '../../../domain/ports/logger';
import { mapHttpError } from '../shared/error-mapping';
import { missingField } from './proto-mapping';
import { createHttpAgents, type HttpAgents } from './http-agents';
import { createTransport, routeOf, type TransportFlags } from './http-transport';
import { settingsSecrets, type MlflowAuth, type MlflowSettings } from './mlflow-settings';
import { redactText } from '../shared/redact';
import { retryDelayMs } from '../shared/retry-policy';
import { serverHealthFor, type ServerHealth } from './server-health';
import { buildQuery, parseWire, stringifyWire, type QueryValue } from './wire-json';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  /** GET parameters; arrays become repeated keys. */
  query?: Record<string, QueryValue>;
  /** JSON body (POST, PATCH, PUT and DELETE). */
  body?: unknown;
  /** The body already serialised (the log-batch hot path); wins over `body`. */
  json?: string;
  /** Code of the NotFoundError a missing resource maps to. */
  notFoundCode?: ErrorCode;
  /**
   * Field a successful answer must hold (`experiment`, `run` …). An answer without it is not MLflow's
   * (a proxy page, a stub answering `{}`): a TrackerUnavailableError, and the server counts as down.
   */
  expect?: string;
  /** A first contact: decided within a few seconds (see ServerHealth); `always`: short even when the server is known up (a health check). */
  probe?: boolean | 'always';
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
  /** The server's shared health; default the one for this URI in this composition (see serverHealthFor). */
  health?: ServerHealth;
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
  /** What this server is known to be doing, shared with every other client of the same URI. */
  readonly health: ServerHealth;
  private readonly agents: HttpAgents;
  private readonly secrets: string[];

  constructor(private readonly settings: MlflowSettings, private readonly options: RestClientOptions = {}) {
    this.baseUri = (options.baseUri ?? settings.trackingUri).replace(/\/+$/, '');
    this.secrets = settingsSecrets(settings);
    this.health = options.health ?? serverHealthFor(settings, this.baseUri, { cooldownMs: options.circuitCooldownMs, logger: options.logger });
    this.agents = createHttpAgents(settings.tls);
    this.http = createTransport({
      baseURL: this.baseUri,
      timeoutSeconds: settings.timeoutSeconds,
      maxRetries: settings.maxRetries,
      backoffFactor: settings.backoffFactor,
      backoffJitter: settings.backoffJitter,
      headers: authHeaders(settings.auth),
      agents: this.agents,
      health: this.health,
      random: options.random ?? Math.random,
      onRetry: (retry, error, delayMs, config) => this.reportRetry(retry, error, delayMs, config, settings.maxRetries),
    });
  }

  /** Calls `<base>/api/2.0/mlflow/<path>` and returns the parsed JSON answer. */
  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const url = `${API_PREFIX}${path}${buildQuery(options.query)}`;
    const data = method === 'GET' ? undefined : (options.json ?? (options.body === undefined ? undefined : stringifyWire(options.body)));
    const hasBody = data !== undefined;
    // a first contact while the server is known up is an ordinary request; while it is down, a trial (or refused)
    const probe = options.probe === 'always' || (options.probe === true && this.health.state !== 'up');
    if (probe && this.health.state === 'down') this.health.admit(method, path);
    let text: string;
    try {
      const config: AxiosRequestConfig & TransportFlags = {
        method,
        url,
        data,
        headers: hasBody ? { 'Content-Type': 'application/json' } : undefined,
        // the body is JSON text already: axios would parse it again only to check it
        transformRequest: [(body: unknown) => body],
        responseType: 'text',
        transformResponse: [(data: unknown) => data],
        mlopsProbe: probe,
        ...(options.beforeResend && { 'axios-retry': this.guardedRetry(options.beforeResend) }),
      };
      const response = await this.http.request<string>(config);
      text = typeof response.data === 'string' ? response.data : String(response.data ?? '');
    } catch (error) {
      if (error instanceof ResendAvoided) return error.answer as T;
      if (error instanceof MlopsError) throw error;
      throw mapHttpError(error, { method, route: path, uri: this.baseUri, secrets: this.secrets, notFoundCode: options.notFoundCode });
    }
    return this.readAnswer<T>(text, method, path, options.expect);
  }

  /**
   * The first contact with the server, decided within seconds: a server that refuses, never answers,
   * drips, streams endlessly or answers something that is not MLflow's JSON fails here with a
   * TrackerUnavailableError naming the URI. Costs nothing once the server is known up (the tracker's own
   * first lookup, or the other client of the same URI, already made contact).
   *
   * `always`: the same short contact even when the server is known up (a health check); while the
   * breaker is open it fails at once with the outage's error.
   *
   * @example await client.probe(); // experiments/get-by-name, answered 200 or 404 RESOURCE_DOES_NOT_EXIST
   */
  async probe(options: { always?: boolean } = {}): Promise<void> {
    if (this.health.state === 'up' && options.always !== true) return;
    try {
      await this.request('GET', 'experiments/get-by-name', { query: { experiment_name: 'Default' }, expect: 'experiment', probe: options.always === true ? 'always' : true });
    } catch (error) {
      // "no such experiment" in MLflow's words is a fine answer from a live server
      if (error instanceof NotFoundError && (error.details as { errorCode?: string } | undefined)?.errorCode === 'RESOURCE_DOES_NOT_EXIST') return;
      throw error;
    }
  }

  /**
   * MLflow 2.x or 3.x, asked once per server: 3.x has the `logged-models` API, 2.x answers its route with
   * the 404 page. Undefined (and asked again later) when the server cannot say right now.
   *
   * @example const limit = (await client.serverGeneration()) === 2 ? 5000 : 8000;
   */
  serverGeneration(): Promise<2 | 3 | undefined> {
    this.health.generation ??= this.request('POST', 'logged-models/search', { body: { experiment_ids: ['0'], max_results: 1 } }).then(
      () => 3 as const,
      (error: unknown) => {
        // the 404 page (no MLflow error body) means the route is missing: a 2.x server
        if (error instanceof NotFoundError && (error.details as { errorCode?: string } | undefined)?.errorCode === 'ENDPOINT_NOT_FOUND') return 2 as const;
        // an MLflow error answer (400 …) still proves the route exists
        if (!(error instanceof TrackerUnavailableError)) return 3 as const;
        this.health.generation = undefined;
        return undefined;
      },
    );
    return this.health.generation;
  }

  /**
   * axios-retry options for one request with a `beforeResend` check: the backoff is waited here rather
   * than by axios-retry (which would wait after this hook), so the check runs right before the re-send.
   * The transport's retry condition (health, wall-clock budget) still decides whether there is a retry.
   */
  private guardedRetry(beforeResend: () => Promise<unknown>): IAxiosRetryConfig {
    return {
      retryDelay: () => 0,
      onRetry: async (retry, error, config) => {
        const delayMs = retryDelayMs(retry, error, this.settings, this.options.random ?? Math.random);
        this.reportRetry(retry, error, delayMs, config as InternalAxiosRequestConfig, this.settings.maxRetries);
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

  private readAnswer<T>(text: string, method: string, path: string, expect: string | undefined): T {
    let value: unknown;
    try {
      value = parseWire(text);
    } catch {
      throw this.notMlflow(method, path, `a body that is not JSON (${describeBody(text)})`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw this.notMlflow(method, path, `${describeBody(text)} instead of a JSON object`);
    if (expect !== undefined) {
      const field = (value as Record<string, unknown>)[expect];
      if (field === null || field === undefined) throw this.notMlflow(method, path, `${describeBody(text)} without "${expect}"`);
    }
    // nested fields too: `{"run":{}}` must not become a TypeError deep in the mapping
    const missing = missingField(method, path, value);
    if (missing !== undefined) throw this.notMlflow(method, path, `${describeBody(text)} without "${missing}"`, missing);
    return value as T;
  }

  /** A 200 that is not MLflow's answer: the URI points at something else (a proxy's page, a stub). */
  private notMlflow(method: string, path: string, what: string, missingField?: string): TrackerUnavailableError {
    const error = new TrackerUnavailableError(
      redactText(
        `MLflow ${method} ${path} at ${this.baseUri} answered 200 with ${what}: this is not an MLflow server's answer. ` +
          'Check that MLFLOW_TRACKING_URI points at the MLflow server itself (scheme, host, port, path prefix).',
        this.secrets,
      ),
      ErrorCodes.TRACKER_UNAVAILABLE,
      { details: { method, route: path, uri: this.baseUri, malformed: true, ...(missingField && { missingField }) } },
    );
    this.health.reportDown(error);
    return error;
  }

  private reportRetry(retry: number, error: AxiosError, delayMs: number, config: InternalAxiosRequestConfig, maxRetries: number): void {
    const method = (config.method ?? 'get').toUpperCase();
    const route = routeOf(config.url);
    const reason = error.response ? String(error.response.status) : (error.code ?? 'network error');
    // one line per outage (ServerHealth), the rest at debug: a job must not print a warning per retry
    this.health.announceRetrying(`${method} ${route}: ${reason}`);
    this.options.logger?.debug(`MLflow ${method} ${route} failed (${reason}); retry ${retry} of ${maxRetries} in ${(delayMs / 1000).toFixed(1)} s`, {
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

/** The start of a body for a message: tags stripped, one line, short. */
function describeBody(text: string): string {
  const line = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 60);
  return line === '' ? 'an empty body' : JSON.stringify(line);
}
