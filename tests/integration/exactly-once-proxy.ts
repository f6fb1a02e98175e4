import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP proxy on 127.0.0.1 in front of a server that LOSES ANSWERS: a request whose route matches
 * `dropRoute` is forwarded, the server processes it and answers, and the proxy then cuts the client's
 * connection instead of passing the answer on (what a load balancer timing out, or a network blip after
 * the server committed, looks like to a client). Each distinct request body is dropped once, so a re-sent
 * identical request (a retry) gets through: without an idempotency check that retry creates a second entity.
 *
 * @example
 * const proxy = await LossyProxy.start(server.uri, /^(runs|model-versions)\/create$/);
 * // point the client at proxy.uri …
 * proxy.dropped; // answers lost so far
 */
export class LossyProxy {
  /** Answers that were processed by the server and never reached the client. */
  dropped = 0;
  private readonly seen = new Set<string>();

  private constructor(
    private readonly server: Server,
    private readonly target: URL,
    private readonly dropRoute: RegExp,
  ) {}

  static async start(targetUri: string, dropRoute: RegExp): Promise<LossyProxy> {
    const server = http.createServer();
    const proxy = new LossyProxy(server, new URL(targetUri), dropRoute);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void proxy.forward(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get uri(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const route = (req.url ?? '').split('?')[0]!.replace(/^\/api\/2\.0\/mlflow\//, '');
    const key = `${req.method} ${route} ${body.toString('utf8')}`;
    const drop = this.dropRoute.test(route) && !this.seen.has(key);
    if (drop) this.seen.add(key);
    const upstream = http.request(
      { host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: { ...req.headers, host: this.target.host } },
      (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => parts.push(chunk));
        answer.on('end', () => {
          if (drop) {
            // the server has done the work; the client never hears of it
            this.dropped++;
            req.socket.destroy();
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(parts));
        });
      },
    );
    upstream.on('error', () => req.socket.destroy());
    upstream.end(body);
  }
}
