import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConfigError,
  createContainer,
  createRuntime,
  JobInterruptedError,
  MlopsError,
  NotFoundError,
  RuntimeClosedError,
  TYPES,
  type CreateContainerOptions,
} from 'mlops-kit';
import { GreetJobDefinition } from './greet-job';

/** A small MLOps service: the container is built once, its runtime started at boot and closed at shutdown. */
export async function createApp(options: Omit<CreateContainerOptions, 'jobs'>) {
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
      if (route === 'POST /train') {
        send(res, 200, await runtime.runConfig({ ...(await jsonBody(req)), KIND: 'TrainingJob' }, { signal: request.signal }));
      } else if (route === 'POST /promote') {
        send(res, 200, await runtime.runConfig({ ...(await jsonBody(req)), KIND: 'PromotionJob' }, { signal: request.signal }));
      } else if (anyKind) {
        // any registered kind, the app's own included; the runtime validates the body against its schema
        send(res, 200, await runtime.runConfig({ ...(await jsonBody(req)), KIND: anyKind[1] }, { signal: request.signal }));
      } else if (alias) {
        send(res, 200, await registry.getVersionByAlias(decodeURIComponent(alias[1]!), decodeURIComponent(alias[2]!)));
      } else if (route === 'GET /healthz') {
        send(res, 200, { runningJobs: runtime.runningJobs });
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

function statusOf(error: unknown): number {
  if (error instanceof ConfigError || error instanceof SyntaxError) return 400;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof JobInterruptedError) return 499;
  if (error instanceof RuntimeClosedError) return 503;
  return 500;
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
