import { ErrorCodes, TrackerUnavailableError, ValidationError } from '../../../src/domain/errors';
import { MlflowRestClient, type RetryEvent } from '../../../src/infrastructure/tracking/mlflow';
import { fastSettings } from '../../support/mlflow-server/client-settings';
import { MlflowTestServer } from '../../support/mlflow-server';

describe('MlflowRestClient against a loopback MLflow server', () => {
  let server: MlflowTestServer;
  let client: MlflowRestClient;
  let retries: RetryEvent[];

  beforeEach(async () => {
    server = await MlflowTestServer.start();
    retries = [];
    client = new MlflowRestClient(fastSettings(server), { onRetry: (e) => retries.push(e) });
  });
  afterEach(async () => {
    client.close();
    await server.stop();
  });

  describe('wire format', () => {
    it('sends GET fields as query parameters, a list as repeated keys (order_by=a&order_by=b)', async () => {
      await client.request('GET', 'model-versions/search', { query: { filter: "name='m'", order_by: ['version_number DESC', 'name ASC'], max_results: 5, page_token: undefined } });
      const [request] = server.requestsTo('model-versions/search');
      expect(request!.query.getAll('order_by')).toEqual(['version_number DESC', 'name ASC']);
      expect(request!.rawQuery).not.toContain('%5B%5D'); // no order_by[]=
      expect(request!.rawQuery).not.toContain('page_token');
      expect(request!.query.get('max_results')).toBe('5');
    });

    it('sends POST and DELETE fields as a JSON body with Content-Type application/json', async () => {
      await client.request('POST', 'registered-models/create', { body: { name: 'm' } });
      await client.request('DELETE', 'registered-models/alias', { body: { name: 'm', alias: 'Champion' } });
      const del = server.requestsTo('registered-models/alias', 'DELETE')[0]!;
      expect(del.headers['content-type']).toBe('application/json');
      expect(del.body).toEqual({ name: 'm', alias: 'Champion' });
      expect(del.rawQuery).toBe('');
    });

    it('sends NaN and ±Infinity as "NaN", "Infinity", "-Infinity" and reads them back as numbers', async () => {
      // a file-backed server keeps infinities (a SQL one clamps them: see the contract suite)
      server.flavour.sqlStore = false;
      const { experiment_id } = await client.request<{ experiment_id: string }>('POST', 'experiments/create', { body: { name: 'nan' } });
      const { run } = await client.request<{ run: { info: { run_id: string } } }>('POST', 'runs/create', { body: { experiment_id, start_time: 1 } });
      const metrics = [NaN, Infinity, -Infinity].map((value, step) => ({ key: 'm', value, timestamp: 5, step }));
      await client.request('POST', 'runs/log-batch', { body: { run_id: run.info.run_id, metrics } });
      expect(server.requestsTo('runs/log-batch')[0]!.bodyText).toContain('"value":"NaN"');
      expect(server.requestsTo('runs/log-batch')[0]!.bodyText).toContain('"value":"-Infinity"');
      const history = await client.request<{ metrics: { value: unknown }[] }>('GET', 'metrics/get-history', { query: { run_id: run.info.run_id, metric_key: 'm', max_results: 100 } });
      expect(history.metrics.map((m) => m.value)).toEqual(['NaN', 'Infinity', '-Infinity']);
    });

    it('also reads the bare NaN / Infinity tokens some servers and proxies write', async () => {
      server.faults.add({ kind: 'status', status: 200, text: '{"metrics":[{"key":"m","value":NaN},{"key":"i","value":-Infinity},{"key":"s","value":"NaN in a string"}]}' }, { times: 1 });
      const answer = await client.request<{ metrics: { value: unknown }[] }>('GET', 'metrics/get-history', { query: { run_id: 'r', metric_key: 'm' } });
      expect(answer.metrics.map((m) => m.value)).toEqual(['NaN', '-Infinity', 'NaN in a string']);
    });
  });

  describe('retries (MLflow client policy)', () => {
    it.each([408, 429, 500, 502, 503, 504])('retries a POST answered %i, then succeeds', async (status) => {
      server.failNext(2, { status, match: 'experiments/create' });
      await client.request('POST', 'experiments/create', { body: { name: `retry-${status}` } });
      expect(server.requestsTo('experiments/create')).toHaveLength(3);
      expect(retries.map((r) => [r.method, r.route, r.retry, r.reason])).toEqual([
        ['POST', 'experiments/create', 1, String(status)],
        ['POST', 'experiments/create', 2, String(status)],
      ]);
    });

    it('gives up after maxRetries + 1 attempts with TrackerUnavailableError naming the server', async () => {
      server.failFor(60_000, { status: 503 });
      const error = await client.request('GET', 'experiments/get', { query: { experiment_id: '0' } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TrackerUnavailableError);
      expect((error as TrackerUnavailableError).code).toBe(ErrorCodes.TRACKER_UNAVAILABLE);
      expect((error as Error).message).toContain(server.uri);
      expect((error as Error).message).toContain('GET experiments/get');
      expect((error as Error).message).toContain('4 attempts');
      expect((error as TrackerUnavailableError).details).toMatchObject({ status: 503, attempts: 4 });
      expect(server.requestsTo('experiments/get')).toHaveLength(4);
    });

    it('uses backoff factor × 2^(n−1) between retries', async () => {
      server.failNext(3, { status: 500 });
      await client.request('GET', 'experiments/get', { query: { experiment_id: '0' } });
      expect(retries.map((r) => r.delayMs)).toEqual([10, 20, 40]);
    });

    it('adds a jitter of at most backoffJitter seconds', async () => {
      const jittery = new MlflowRestClient(fastSettings(server, { backoffJitter: 0.05 }), { random: () => 0.5, onRetry: (e) => retries.push(e) });
      server.failNext(1, { status: 500 });
      await jittery.request('GET', 'experiments/get', { query: { experiment_id: '0' } });
      jittery.close();
      expect(retries[0]!.delayMs).toBe(10 + 25);
    });

    it('honours Retry-After in seconds', async () => {
      server.failNext(1, { status: 429, retryAfter: 1 });
      const started = Date.now();
      await client.request('GET', 'experiments/get', { query: { experiment_id: '0' } });
      expect(retries[0]!.delayMs).toBe(1000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    });

    it('honours Retry-After as an HTTP date', async () => {
      server.failNext(1, { status: 503, retryAfter: new Date(Date.now() + 2000).toUTCString() });
      await client.request('GET', 'experiments/get', { query: { experiment_id: '0' } });
      // HTTP dates have one-second resolution
      expect(retries[0]!.delayMs).toBeGreaterThan(0);
      expect(retries[0]!.delayMs).toBeLessThanOrEqual(2000);
      expect(retries[0]!.delayMs).not.toBe(10); // not the backoff
    });

    it('retries dropped connections (socket hang up / ECONNRESET), POST included', async () => {
      server.dropNext(2, 'experiments/create');
      await client.request('POST', 'experiments/create', { body: { name: 'dropped' } });
      expect(server.requestsTo('experiments/create')).toHaveLength(3);
      expect(retries.map((r) => r.reason)).toEqual(['ECONNRESET', 'ECONNRESET']);
    });

    it('retries a request that timed out, with the full timeout for each attempt', async () => {
      const quick = new MlflowRestClient(fastSettings(server, { timeoutSeconds: 0.2 }), { onRetry: (e) => retries.push(e) });
      server.slowNext(1, 600, 'experiments/get');
      const answer = await quick.request('GET', 'experiments/get', { query: { experiment_id: '0' } });
      quick.close();
      expect(answer).toMatchObject({ experiment: { experiment_id: '0' } });
      expect(retries).toHaveLength(1);
      expect(['ECONNABORTED', 'ETIMEDOUT']).toContain(retries[0]!.reason);
    });

    it('does NOT retry a plain-text 503 (a feature switched off) and reports it at once', async () => {
      server.plainTextNext(1, 503, 'Endpoint disabled due to the mlflow server running with `--no-serve-artifacts`');
      const error = await client.request('GET', 'experiments/get', { query: { experiment_id: '0' } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TrackerUnavailableError);
      expect((error as Error).message).toContain('--no-serve-artifacts');
      expect(retries).toEqual([]);
      expect(server.requestsTo('experiments/get')).toHaveLength(1);
    });

    it('does not retry 4xx answers', async () => {
      const error = await client.request('POST', 'experiments/create', { body: {} }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(server.requestsTo('experiments/create')).toHaveLength(1);
    });

    it('reports an unreachable server as TrackerUnavailableError after retrying', async () => {
      const port = Number(new URL(server.uri).port);
      await server.stop();
      const gone = new MlflowRestClient(fastSettings(`http://127.0.0.1:${port}`, { maxRetries: 2 }), { onRetry: (e) => retries.push(e) });
      const error = await gone.request('GET', 'experiments/get', { query: { experiment_id: '0' } }).catch((e: unknown) => e);
      gone.close();
      server = await MlflowTestServer.start(); // for afterEach
      expect(error).toBeInstanceOf(TrackerUnavailableError);
      expect((error as Error).message).toContain(`http://127.0.0.1:${port}`);
      expect((error as Error).message).toMatch(/ECONNREFUSED after 3 attempts/);
      expect(retries).toHaveLength(2);
    });
  });
});

describe('MlflowRestClient circuit breaker', () => {
  it('after one request exhausts its retries, the next fails at once without reaching the server, then recovers', async () => {
    const server = await MlflowTestServer.start();
    try {
      const client = new MlflowRestClient(fastSettings(server, { maxRetries: 1 }), { circuitCooldownMs: 300 });
      server.failNext(2, { status: 503 });
      await expect(client.request('GET', 'experiments/get', { query: { experiment_id: '0' } })).rejects.toMatchObject({ code: 'TRACKER_UNAVAILABLE' });
      const before = server.requests.length;
      const fast = await client.request('GET', 'experiments/get', { query: { experiment_id: '0' } }).catch((e: unknown) => e);
      expect(fast).toBeInstanceOf(TrackerUnavailableError);
      expect((fast as TrackerUnavailableError).details).toMatchObject({ circuitOpen: true });
      expect(server.requests.length).toBe(before); // nothing was sent
      await new Promise((r) => setTimeout(r, 350));
      await expect(client.request('GET', 'experiments/get', { query: { experiment_id: '0' } })).resolves.toMatchObject({ experiment: { name: 'Default' } });
      client.close();
    } finally {
      await server.stop();
    }
  });

  it('a 503 window shorter than the retry budget never opens the circuit', async () => {
    const server = await MlflowTestServer.start();
    try {
      const client = new MlflowRestClient(fastSettings(server, { maxRetries: 3 }), { circuitCooldownMs: 60_000 });
      server.failNext(2, { status: 503 });
      await expect(client.request('GET', 'experiments/get', { query: { experiment_id: '0' } })).resolves.toMatchObject({ experiment: { name: 'Default' } });
      await expect(client.request('GET', 'experiments/get', { query: { experiment_id: '0' } })).resolves.toMatchObject({ experiment: { name: 'Default' } });
      client.close();
    } finally {
      await server.stop();
    }
  });
});
