import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createContainer,
  createRuntime,
  httpStatusOf,
  MlopsError,
  TYPES,
  type CreateContainerOptions,
  type ModelInput,
} from 'mlops-kit';
import { GreetJobDefinition } from './greet-job';

/** How the service serves models: the alias its predictors follow and how often they check it. */
export interface ServingOptions {
  alias?: string;
  refreshMs?: number;
}

/** A small MLOps service: the container is built once, its runtime started at boot and closed at shutdown. */
export async function createApp(options: Omit<CreateContainerOptions, 'jobs'>, serving: ServingOptions = {}) {
  const container = createContainer({ ...options, jobs: [GreetJobDefinition] });
  const runtime = createRuntime(container);
  // start the registry at boot: a wrong URI or a refused login fails the deploy, not the first request
  await runtime.start({ services: ['registry'] });
  const registry = container.get(TYPES.ModelRegistry);

  const server = http.createServer(async (req, res) => {
    // a client that goes away cancels its job: the job's runs end KILLED
    const request = new AbortController();
    res.on('close', () => res.writableFinished || request.abort());
    try {
      const route = `${req.method} ${req.url}`;
      const alias = /^GET \/models\/([^/]+)\/aliases\/([^/]+)$/.exec(route);
      const anyKind = /^POST \/jobs\/(\w+)$/.exec(route);
      const predict = /^POST \/predict\/([^/]+)$/.exec(route);
      if (route === 'POST /train') {
        send(res, 200, await runtime.runConfig({ ...(await jsonBody(req)), KIND: 'TrainingJob' }, { signal: request.signal }));
      } else if (route === 'POST /promote') {
        send(res, 200, await runtime.runConfig({ ...(await jsonBody(req)), KIND: 'PromotionJob' }, { signal: request.signal }));
      } else if (anyKind) {
        // any registered kind, the app's own included; the runtime validates the body against its schema
        send(res, 200, await runtime.runConfig({ ...(await jsonBody(req)), KIND: anyKind[1] }, { signal: request.signal }));
      } else if (predict) {
        // one predictor per model, made on first request, shared after: it follows the alias and swaps versions atomically
        const predictor = runtime.predictor(`models:/${decodeURIComponent(predict[1]!)}@${serving.alias ?? 'Champion'}`, { refreshMs: serving.refreshMs });
        const { predictions, model, version } = await predictor.predict(scoringInput(await jsonBody(req)));
        send(res, 200, { predictions, model, version });
      } else if (alias) {
        send(res, 200, await registry.getVersionByAlias(decodeURIComponent(alias[1]!), decodeURIComponent(alias[2]!)));
      } else if (route === 'GET /healthz') {
        // 503 while a service is down and not spilling: MLflow reachable (and its version), spill backlog, jobs, predictors
        const health = await runtime.health();
        send(res, health.ok ? 200 : 503, health);
      } else {
        send(res, 404, { code: 'NOT_FOUND', message: `no route ${route}` });
      }
    } catch (error) {
      send(res, statusOf(error), { code: error instanceof MlopsError ? error.code : 'UNEXPECTED', message: String((error as Error).message) });
    }
  });

  return {
    runtime,
    /** Listens on 127.0.0.1 (`port` 0: any free port) and resolves with the port. */
    async listen(port = 0): Promise<number> {
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      return (server.address() as AddressInfo).port;
    },
    /** Graceful shutdown: no new connections, running jobs get `deadlineMs`, then everything is flushed and stopped. */
    async close(deadlineMs = 10_000): Promise<void> {
      const closed = new Promise((resolve) => server.close(resolve));
      await runtime.close({ deadlineMs });
      server.closeIdleConnections();
      await closed;
    },
  };
}

/** mlops-kit's one table of error codes to HTTP statuses (400 for bad input, 404, 503 …); a body that is not JSON is a 400 too. */
function statusOf(error: unknown): number {
  return error instanceof SyntaxError ? 400 : httpStatusOf(error);
}

/** MLflow's scoring protocol, so a model's serving_input_example.json is a valid body: dataframe_records or dataframe_split. */
function scoringInput(body: Record<string, unknown>): ModelInput {
  if (Array.isArray(body.dataframe_records)) return body.dataframe_records as Record<string, unknown>[];
  const split = body.dataframe_split as { columns?: unknown; data?: unknown } | undefined;
  if (Array.isArray(split?.columns) && Array.isArray(split.data)) {
    const columns = split.columns as string[];
    return (split.data as unknown[][]).map((row) => Object.fromEntries(columns.map((name, i) => [name, row?.[i]])));
  }
  throw new SyntaxError('send {"dataframe_records": [{...}]} or {"dataframe_split": {"columns": [...], "data": [[...]]}}');
}

async function jsonBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  let body = '';
  for await (const chunk of req) body += chunk;
  const parsed: unknown = body === '' ? {} : JSON.parse(body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SyntaxError('the body must be a JSON object');
  return parsed as Record<string, unknown>;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
