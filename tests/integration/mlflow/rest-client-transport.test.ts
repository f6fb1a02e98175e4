import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { MlflowRestClient, resolveMlflowSettings } from '../../../src/infrastructure/tracking/mlflow';
import { serializeLogBatch } from '../../../src/infrastructure/tracking/mlflow/log-batch-json';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A loopback server that records each request and answers with `answer(request)`. */
async function recordingServer(answer: (seen: Seen, res: http.ServerResponse) => void): Promise<{ uri: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(entry);
      answer(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())).then(() => undefined),
  };
}

const json = (res: http.ServerResponse, body: string, headers: Record<string, string> = {}) => {
  res.writeHead(200, { 'Content-Type': 'application/json', ...headers });
  res.end(body);
};

/**
 * What the REST client puts on the wire for the log-batch hot path (the body serialised once, sent as is)
 * and what it honours around it: a compressed answer, a proxy from HTTP_PROXY.
 */
describe('MLflow REST transport', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of ['HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('posts a log-batch body byte for byte, with Content-Type, Content-Length and the Authorization header, and reads the answer', async () => {
    const server = await recordingServer((_seen, res) => json(res, '{}'));
    const client = new MlflowRestClient(resolveMlflowSettings({ uri: `${server.uri}/prefix/` }, { MLFLOW_TRACKING_TOKEN: 'tok-123' }));
    const text = serializeLogBatch('r'.repeat(32), { metrics: [{ key: 'lösş', value: Number.NaN, timestamp: 1, step: 2 }], params: [], tags: [{ key: 'k', value: '✓' }] });
    await expect(client.request('POST', 'runs/log-batch', { json: text })).resolves.toEqual({});
    client.close();
    await server.close();
    const [request] = server.seen;
    expect(request).toMatchObject({ method: 'POST', url: '/prefix/api/2.0/mlflow/runs/log-batch', body: text });
    expect(request!.headers).toMatchObject({ 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), authorization: 'Bearer tok-123' });
  });

  it('reads a gzip-compressed answer', async () => {
    const server = await recordingServer((_seen, res) => json(res, gzipSync('{"experiment":{"experiment_id":"7","name":"x"}}') as unknown as string, { 'Content-Encoding': 'gzip' }));
    const client = new MlflowRestClient(resolveMlflowSettings({ uri: server.uri }, {}));
    await expect(client.request('GET', 'experiments/get-by-name', { query: { experiment_name: 'x' } })).resolves.toEqual({ experiment: { experiment_id: '7', name: 'x' } });
    client.close();
    await server.close();
  });

  it('goes through the proxy named by HTTP_PROXY', async () => {
    const target = await recordingServer((_seen, res) => json(res, '{"experiment_id":"3"}'));
    const proxied: string[] = [];
    const proxy = await recordingServer((seen, res) => {
      proxied.push(`${seen.method} ${seen.url}`);
      const forward = http.request(seen.url, { method: seen.method, headers: seen.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.end(seen.body);
    });
    process.env.HTTP_PROXY = proxy.uri;
    delete process.env.NO_PROXY;
    delete process.env.no_proxy;
    const client = new MlflowRestClient(resolveMlflowSettings({ uri: target.uri }, {}));
    await expect(client.request('POST', 'experiments/create', { body: { name: 'x' } })).resolves.toEqual({ experiment_id: '3' });
    client.close();
    await Promise.all([proxy.close(), target.close()]);
    expect(proxied).toEqual([`POST ${target.uri}/api/2.0/mlflow/experiments/create`]);
    expect(target.seen).toHaveLength(1);
  });
});
