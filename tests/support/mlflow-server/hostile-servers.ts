import http, { type Server } from 'node:http';
import { freePort } from '../free-port';
import net, { type AddressInfo, type Socket } from 'node:net';

/** The ways a "tracking server" can be broken that a client must decide on quickly (issue 10). */
export const HOSTILE_SHAPES = ['refused', 'blackhole', 'slow drip', 'endless stream', 'HTML 200', 'invalid JSON', 'empty object'] as const;
export type HostileShape = (typeof HOSTILE_SHAPES)[number];

export interface HostileServer {
  shape: HostileShape;
  /** `http://127.0.0.1:<port>` */
  uri: string;
  /** Requests (or, for the blackhole, connections) that reached it. */
  hits: number;
  stop(): Promise<void>;
}

/**
 * A loopback server of one hostile shape:
 * - `refused`: nothing listens on the port (it was bound, then closed);
 * - `blackhole`: accepts TCP, reads, never answers;
 * - `slow drip`: 200 JSON headers, then one byte of a valid answer every `dripMs` (2 s: it would finish after minutes);
 * - `endless stream`: 200 headers, then a JSON array that never ends, 1 KiB every 20 ms;
 * - `HTML 200`: a login page with status 200, what an SSO proxy in front of the server sends;
 * - `invalid JSON`: 200 with a truncated JSON body;
 * - `empty object`: 200 `{}` to every request.
 *
 * @example
 * const server = await startHostileServer('blackhole');
 * await expect(new MlflowTracker(resolveMlflowSettings({ uri: server.uri }, {})).start()).rejects.toThrow(server.uri);
 * await server.stop();
 */
export async function startHostileServer(shape: HostileShape, options: { dripMs?: number } = {}): Promise<HostileServer> {
  if (shape === 'refused') return refusedPort();
  if (shape === 'blackhole') return blackhole();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const state: HostileServer = { shape, uri: '', hits: 0, stop: async () => undefined };
  const server: Server = http.createServer((req, res) => {
    state.hits++;
    req.resume();
    const finish = (status: number, type: string, body: string): void => {
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (shape === 'HTML 200') return finish(200, 'text/html; charset=utf-8', '<!doctype html><html><title>Sign in</title><body>Please sign in</body></html>');
    if (shape === 'invalid JSON') return finish(200, 'application/json', '{"experiment": {"experiment_id": "1", "name"');
    if (shape === 'empty object') return finish(200, 'application/json', '{}');
    res.writeHead(200, { 'Content-Type': 'application/json' });
    if (shape === 'slow drip') {
      const body = '{"experiment": {"experiment_id": "1", "name": "Default", "lifecycle_stage": "active"}}';
      let sent = 0;
      const timer = setInterval(() => {
        if (sent < body.length) res.write(body[sent++]);
        else res.end();
      }, options.dripMs ?? 2_000);
      timers.add(timer);
      res.on('close', () => clearInterval(timer));
      res.write(body[sent++]);
      return;
    }
    res.write('[');
    const chunk = `${'"x",'.repeat(256)}`;
    const timer = setInterval(() => res.write(chunk), 20);
    timers.add(timer);
    res.on('close', () => clearInterval(timer));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.stop = async () => {
    for (const timer of timers) clearInterval(timer);
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}

async function refusedPort(): Promise<HostileServer> {
  return { shape: 'refused', uri: `http://127.0.0.1:${await freePort()}`, hits: 0, stop: async () => undefined };
}

async function blackhole(): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const state: HostileServer = { shape: 'blackhole', uri: '', hits: 0, stop: async () => undefined };
  const server = net.createServer((socket) => {
    state.hits++;
    sockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.stop = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}

/** A server whose 200 answers look like MLflow's at the top level only (issue 10: malformed nested answers). */
export interface ScriptedServer {
  /** `http://127.0.0.1:<port>` */
  uri: string;
  /** `METHOD route` of every request that reached it, e.g. `GET runs/get`. */
  requests: string[];
  stop(): Promise<void>;
}

/**
 * Answers 200 with the JSON given for `METHOD route` (route as after `/api/2.0/mlflow/`), and `{}` to
 * anything else: the shape of a stub or a broken proxy that gets the top-level field right and the
 * nested ones wrong, e.g. `{"run":{}}` for `GET runs/get`.
 *
 * @example
 * const server = await startScriptedServer({ 'GET runs/get': { run: { info: {} } } });
 * await expect(new MlflowRestClient(resolveMlflowSettings({ uri: server.uri }, {})).request('GET', 'runs/get')).rejects.toThrow('run.info.run_id');
 * await server.stop();
 */
export async function startScriptedServer(answers: Record<string, unknown>): Promise<ScriptedServer> {
  const sockets = new Set<Socket>();
  const state: ScriptedServer = { uri: '', requests: [], stop: async () => undefined };
  const server = http.createServer((req, res) => {
    req.resume();
    const route = `${req.method} ${(req.url ?? '').split('?')[0]!.replace(/^\/api\/2\.0\/mlflow\//, '')}`;
    state.requests.push(route);
    const body = JSON.stringify(answers[route] ?? {});
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.stop = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}
