import { mkdtempSync, rmSync } from 'node:fs';
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArtifactRoutes } from './artifact-routes';
import { FaultPlan, type FaultAction, type RecordedRequest, type RequestMatcher } from './faults';
import { ApiError, readBody, sendHtml, sendJson, sendText } from './http-io';
import { registryRoutes } from './registry-routes';
import { MLFLOW3_ONLY_ROUTES, loggedModelRoutes } from './logged-model-routes';
import { matchRoute, queryArgs, type RouteTable } from './routes';
import { FakeStore, type ArtifactRootSetting } from './store';
import { DEFAULT_FLAVOUR, securityRefusal, type ServerFlavour } from './server-flavour';
import { trackingRoutes } from './tracking-routes';

export interface MlflowTestServerOptions {
  /** `mlflow-artifacts` (default: the server's proxy), or a root such as `s3://bucket/prefix` or `file:///dir`. */
  artifactRoot?: ArtifactRootSetting;
  /** Directory behind the artifact proxy; default a fresh temp dir, removed on stop. */
  artifactsDir?: string;
  /** Serve HTTPS with these PEMs; `requestCert` demands a client certificate signed by `ca`. */
  tls?: { key: string; cert: string; ca?: string; requestCert?: boolean };
  /** Require credentials, as a server behind MLflow's basic-auth app or a token proxy would. */
  auth?: { basic?: { username: string; password: string }; bearer?: string };
  /** Cap on metrics/get-history page size, to make clients follow next_page_token. */
  historyPageLimit?: number;
  clock?: () => number;
  /** Which MLflow it answers like: 3.x with a file store by default (server-flavour.ts). */
  flavour?: Partial<ServerFlavour>;
}

export interface StatusFaultOptions {
  status?: number;
  errorCode?: string;
  message?: string;
  /** Seconds, or an HTTP date. */
  retryAfter?: string | number;
  match?: RequestMatcher;
}

const API = '/api/2.0/mlflow/';

/**
 * A loopback server that speaks MLflow's REST API the way a real MLflow 3.x server does, or 2.x with
 * `flavour: { version: 2 }` (where they differ: server-flavour.ts), records every request, and injects faults: error statuses for the next
 * N requests or a time window, 429 with Retry-After, plain-text errors, dropped connections, slow answers,
 * gates that hold requests until several arrived (to force races), and required credentials.
 *
 * @example
 * const server = await MlflowTestServer.start();
 * server.failNext(2, { status: 503 });
 * // … point a client at server.uri …
 * expect(server.requestsTo('runs/log-batch')).toHaveLength(3);
 * await server.stop();
 */
export class MlflowTestServer {
  readonly requests: RecordedRequest[] = [];
  readonly store: FakeStore;
  readonly artifacts: ArtifactRoutes;
  readonly faults = new FaultPlan();
  auth: MlflowTestServerOptions['auth'];
  historyPageLimit: number | undefined;
  /** Which MLflow this server answers like; tests may switch it between requests. */
  flavour: ServerFlavour;
  /** Keep request bodies in `requests` (default). Benchmarks turn it off so a million metrics do not pile up. */
  recordBodies = true;
  uri = '';
  private readonly routes: RouteTable;
  private readonly server: Server;
  private readonly ownsArtifactsDir: boolean;

  private constructor(private readonly options: MlflowTestServerOptions) {
    this.store = new FakeStore(options.artifactRoot ?? 'mlflow-artifacts', options.clock ?? Date.now);
    this.ownsArtifactsDir = options.artifactsDir === undefined;
    this.artifacts = new ArtifactRoutes(options.artifactsDir ?? mkdtempSync(path.join(os.tmpdir(), 'mlflow-test-artifacts-')));
    this.auth = options.auth;
    this.historyPageLimit = options.historyPageLimit;
    this.flavour = { ...DEFAULT_FLAVOUR, ...options.flavour };
    this.routes = {
      ...trackingRoutes((uri) => this.localArtifactDir(uri), () => this.historyPageLimit, () => this.flavour),
      ...loggedModelRoutes(),
      ...registryRoutes(() => this.flavour),
    };
    const handler = (req: IncomingMessage, res: ServerResponse): void => void this.handle(req, res);
    this.server = options.tls
      ? https.createServer({ key: options.tls.key, cert: options.tls.cert, ca: options.tls.ca, requestCert: options.tls.requestCert, rejectUnauthorized: options.tls.requestCert ?? false }, handler)
      : http.createServer(handler);
  }

  static async start(options: MlflowTestServerOptions = {}): Promise<MlflowTestServer> {
    const server = new MlflowTestServer(options);
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    server.uri = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return server;
  }

  async stop(): Promise<void> {
    this.faults.clear();
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.ownsArtifactsDir) rmSync(this.artifacts.rootDir, { recursive: true, force: true });
  }

  /** Requests to one route (`runs/log-batch`), in arrival order. */
  requestsTo(route: string, method?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.route === route && (method === undefined || r.method === method));
  }

  /** The next `times` matching requests answer an error (default 503 TEMPORARILY_UNAVAILABLE, JSON). */
  failNext(times: number, options: StatusFaultOptions = {}): void {
    this.faults.add(statusAction(options), { times, match: options.match });
  }

  /** Every matching request answers an error for the next `ms` milliseconds. */
  failFor(ms: number, options: StatusFaultOptions = {}): void {
    this.faults.add(statusAction(options), { forMs: ms, match: options.match });
  }

  /** A plain-text error body (what `--no-serve-artifacts`, proxies and load balancers send). */
  plainTextNext(times: number, status = 503, text = 'Service Unavailable', match?: RequestMatcher): void {
    this.faults.add({ kind: 'status', status, text }, { times, match });
  }

  /**
   * The next matching requests are answered with this JSON body (200 by default) instead of the route's own: malformed answers.
   *
   * @example server.answerNext(1, { model: { info: {} } }, `logged-models/${id}`);
   */
  answerNext(times: number, body: unknown, match?: RequestMatcher, status = 200): void {
    this.faults.add({ kind: 'status', status, json: body }, { times, match });
  }

  /** The server closes the socket without answering. */
  dropNext(times: number, match?: RequestMatcher): void {
    this.faults.add({ kind: 'drop' }, { times, match });
  }

  /** The next matching requests are answered normally, but only after `ms`. */
  slowNext(times: number, ms: number, match?: RequestMatcher): void {
    this.faults.add({ kind: 'delay', ms }, { times, match });
  }

  /** Holds matching requests until `count` of them arrived, then lets them all through together. */
  gate(count: number, match: RequestMatcher): void {
    this.faults.add({ kind: 'gate', count }, { times: count, match });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const isArtifactRoute = url.pathname.startsWith('/api/2.0/mlflow-artifacts/');
    const bodyText = isArtifactRoute ? undefined : (await readBody(req)).toString('utf8');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      route: url.pathname.startsWith(API) ? url.pathname.slice(API.length) : url.pathname,
      query: url.searchParams,
      rawQuery: url.search.replace(/^\?/, ''),
      headers: req.headers,
      bodyText,
      body: parseMaybe(bodyText),
    };
    this.requests.push(record);
    const body = record.body;
    if (!this.recordBodies) {
      record.body = undefined;
      record.bodyText = undefined;
    }
    try {
      const fault = await this.faults.apply(record);
      if (fault) {
        record.fault = fault.kind;
        if (await this.applyFault(fault, req, res)) return;
      }
      if (!this.authorized(req, res)) return;
      const refusal = securityRefusal(this.flavour, record.method, req.headers);
      if (refusal !== null) return sendText(res, 403, refusal);
      if (isArtifactRoute) {
        if (!(await this.artifacts.handle(req, res, url))) sendHtml(res, 404, 'Not Found', 'The requested URL was not found on the server.');
        return;
      }
      this.route(record, body, res);
    } catch (error) {
      if (!res.headersSent) sendJson(res, 500, { error_code: 'INTERNAL_ERROR', message: String(error) });
    }
  }

  /** Returns true when the fault answered (or killed) the request. */
  private async applyFault(fault: FaultAction, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    switch (fault.kind) {
      case 'drop':
        req.socket.destroy();
        return true;
      case 'delay':
        // answered even if the client gave up meanwhile: the server did the work, as a real slow server does
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        return false;
      case 'gate':
        return false;
      case 'status':
        if (fault.text !== undefined) sendText(res, fault.status, fault.text, fault.headers);
        else sendJson(res, fault.status, fault.json, fault.headers);
        return true;
    }
  }

  private authorized(req: IncomingMessage, res: ServerResponse): boolean {
    if (!this.auth) return true;
    const header = req.headers.authorization ?? '';
    const { basic, bearer } = this.auth;
    if (basic && header === `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`) return true;
    if (bearer && header === `Bearer ${bearer}`) return true;
    // MLflow's basic-auth app answers 401 in plain text with a WWW-Authenticate challenge
    sendText(res, 401, 'You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.', {
      'WWW-Authenticate': 'Basic realm="mlflow"',
    });
    return false;
  }

  private route(record: RecordedRequest, body: unknown, res: ServerResponse): void {
    const match = record.path.startsWith(API) ? matchRoute(this.routes, record.route) : undefined;
    // a 2.x server has no logged-models routes at all: Flask's 404 page, whatever the method
    if (!match || (this.flavour.version !== 3 && MLFLOW3_ONLY_ROUTES.has(match.key))) return sendHtml(res, 404, 'Not Found', 'The requested URL was not found on the server.');
    const handler = match.handlers[record.method as keyof typeof match.handlers];
    if (!handler) return sendHtml(res, 405, 'Method Not Allowed', 'The method is not allowed for the requested URL.');
    try {
      let args: Record<string, unknown>;
      if (record.method === 'GET') {
        args = queryArgs(record.query);
      } else {
        const type = String(record.headers['content-type'] ?? '').split(';')[0]!.trim();
        if (type !== 'application/json') throw new ApiError(400, 'INVALID_PARAMETER_VALUE', "Bad Request. Content-Type must be one of ['application/json'].");
        if (body === undefined || typeof body !== 'object' || body === null) throw new ApiError(400, 'BAD_REQUEST', 'Malformed request: the body is not a JSON object.');
        args = body as Record<string, unknown>;
      }
      // Flask hands path segments (`<model_id>`) to the view; they win over a body field of the same name
      args = { ...args, ...match.params };
      sendJson(res, 200, handler({ method: record.method, args, store: this.store }));
    } catch (error) {
      if (error instanceof ApiError) sendJson(res, error.status, { error_code: error.errorCode, message: error.message });
      else throw error;
    }
  }

  /** The local directory behind a run's artifact URI, for `artifacts/list`. */
  private localArtifactDir(artifactUri: string): string | undefined {
    if (artifactUri.startsWith('mlflow-artifacts:')) return path.join(this.artifacts.rootDir, artifactUri.replace(/^mlflow-artifacts:\/*/, ''));
    if (artifactUri.startsWith('file:')) return fileURLToPath(artifactUri);
    return undefined;
  }
}

function statusAction(options: StatusFaultOptions): FaultAction {
  const status = options.status ?? 503;
  const errorCode = options.errorCode ?? DEFAULT_CODES[status] ?? 'INTERNAL_ERROR';
  const headers = options.retryAfter === undefined ? undefined : { 'Retry-After': String(options.retryAfter) };
  return { kind: 'status', status, json: { error_code: errorCode, message: options.message ?? `Injected ${status} ${errorCode}` }, headers };
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'INVALID_PARAMETER_VALUE', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'RESOURCE_DOES_NOT_EXIST', 408: 'DEADLINE_EXCEEDED',
  409: 'RESOURCE_CONFLICT', 429: 'REQUEST_LIMIT_EXCEEDED', 500: 'INTERNAL_ERROR', 502: 'TEMPORARILY_UNAVAILABLE', 503: 'TEMPORARILY_UNAVAILABLE', 504: 'DEADLINE_EXCEEDED',
};

function parseMaybe(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
