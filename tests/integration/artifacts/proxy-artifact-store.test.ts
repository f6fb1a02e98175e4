import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ErrorCodes, NotFoundError, TrackerUnavailableError } from '../../../src/domain/errors';
import { createArtifactStore } from '../../../src/infrastructure/tracking/artifacts/create-artifact-store';
import { ProxyArtifactStore } from '../../../src/infrastructure/tracking/artifacts/proxy-artifact-store';
import { resolveMlflowSettings } from '../../../src/infrastructure/tracking/mlflow/mlflow-settings';
import { MlflowRestClient } from '../../../src/infrastructure/tracking/mlflow/rest-client';
import { ArtifactRoutes } from '../../support/mlflow-server/artifact-routes';
import { MODEL_FILES, readTree, TempDirs, writeTree } from './artifact-fixtures';

const TOKEN = 'proxy-test-token-123';
const ARTIFACT_URI = 'mlflow-artifacts:/7/0123456789abcdef0123456789abcdef/artifacts';

interface Seen {
  method: string;
  url: string;
  authorization?: string;
}

/** A loopback MLflow artifact proxy: ArtifactRoutes behind a server that records requests and can fail PUTs. */
async function startProxy(rootDir: string): Promise<{ uri: string; routes: ArtifactRoutes; seen: Seen[]; failPuts: (n: number) => void; close: () => Promise<void> }> {
  const routes = new ArtifactRoutes(rootDir);
  const seen: Seen[] = [];
  let putsToFail = 0;
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization });
    if (req.method === 'PUT' && putsToFail > 0) {
      putsToFail--;
      req.resume(); // read half of nothing: answer while the client may still be sending, as a busy server does
      res.writeHead(503, { 'Content-Type': 'application/json' }).end('{"error_code":"TEMPORARILY_UNAVAILABLE","message":"busy"}');
      return;
    }
    void routes.handle(req, res, new URL(req.url!, 'http://127.0.0.1')).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    uri: `http://127.0.0.1:${port}`,
    routes,
    seen,
    failPuts: (n) => (putsToFail = n),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('ProxyArtifactStore (mlflow-artifacts: through the server)', () => {
  const temp = new TempDirs();
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let client: MlflowRestClient;
  let work: string;
  let serverRoot: string;

  beforeEach(async () => {
    serverRoot = await temp.make('proxy-root');
    work = await temp.make('proxy-work');
    proxy = await startProxy(serverRoot);
    const settings = resolveMlflowSettings({ uri: proxy.uri, token: TOKEN, maxRetries: 2, backoffFactor: 0.01, backoffJitter: 0 }, {});
    client = new MlflowRestClient(settings);
    await writeTree(path.join(work, 'model'), MODEL_FILES);
  });
  afterEach(async () => {
    client.close();
    await proxy.close();
    await temp.cleanup();
  });

  const store = (): ProxyArtifactStore => createArtifactStore(ARTIFACT_URI, { trackingUri: proxy.uri, http: client.http }) as ProxyArtifactStore;

  it('uploads a file and a directory with PUTs the server stores under <exp>/<run>/artifacts, with the client’s auth', async () => {
    await fs.writeFile(path.join(work, 'metrics.json'), '{"rmse":0.3}');
    await store().upload(path.join(work, 'metrics.json'));
    await store().upload(path.join(work, 'model'), 'model');

    const runRoot = path.join(serverRoot, '7', '0123456789abcdef0123456789abcdef', 'artifacts');
    expect(await fs.readFile(path.join(runRoot, 'metrics.json'), 'utf8')).toBe('{"rmse":0.3}');
    expect(await readTree(path.join(runRoot, 'model'))).toEqual(MODEL_FILES);
    const puts = proxy.seen.filter((s) => s.method === 'PUT');
    expect(puts.map((s) => s.url)).toContain('/api/2.0/mlflow-artifacts/artifacts/7/0123456789abcdef0123456789abcdef/artifacts/model/data/weights%20v2.npy');
    expect(puts.every((s) => s.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('lists with ?path= and turns the server’s basenames into paths from the artifact root', async () => {
    await store().upload(path.join(work, 'model'), 'model');
    expect(await store().list()).toEqual([{ path: 'model', isDir: true }]);
    expect(await store().list('model')).toEqual([
      { path: 'model/MLmodel', isDir: false, fileSize: MODEL_FILES.MLmodel!.length },
      { path: 'model/data', isDir: true },
      { path: 'model/model.bin', isDir: false, fileSize: 70_000 },
    ]);
    expect(await store().list('nothing')).toEqual([]);
    const listCall = proxy.seen.find((s) => s.method === 'GET' && s.url.includes('?path='))!;
    expect(new URL(listCall.url, 'http://x').searchParams.get('path')).toBe('7/0123456789abcdef0123456789abcdef/artifacts');
  });

  it('downloads files and whole directories byte for byte', async () => {
    await store().upload(path.join(work, 'model'), 'model');
    const dest = await temp.make('proxy-dest');
    const file = await store().download('model/model.bin', dest);
    expect(file).toBe(path.join(dest, 'model', 'model.bin'));
    expect((await fs.readFile(file)).equals(MODEL_FILES['model.bin']!)).toBe(true);
    expect(await readTree(await store().download('model', dest))).toEqual(MODEL_FILES);
    const all = await temp.make('proxy-all');
    expect(await store().download('', all)).toBe(all);
    expect(await readTree(path.join(all, 'model'))).toEqual(MODEL_FILES);
  });

  it('streams a large file and resends it whole when the client retries a busy answer', async () => {
    const big = randomBytes(3 * 1024 * 1024 + 17);
    await fs.writeFile(path.join(work, 'big.bin'), big);
    proxy.failPuts(1);
    const streaming = new ProxyArtifactStore(ARTIFACT_URI, proxy.uri, client.http, { bufferLimitBytes: 1024 });
    await streaming.upload(path.join(work, 'big.bin'), 'blobs');
    expect(proxy.seen.filter((s) => s.method === 'PUT')).toHaveLength(2);
    const stored = await fs.readFile(path.join(serverRoot, '7', '0123456789abcdef0123456789abcdef', 'artifacts', 'blobs', 'big.bin'));
    expect(stored.equals(big)).toBe(true);
    const back = await streaming.download('blobs/big.bin', await temp.make('proxy-big'));
    expect((await fs.readFile(back)).equals(big)).toBe(true);
  });

  it('fails at once with ARTIFACT_STORE_UNAVAILABLE when the server has artifact serving off (plain-text 503, no retries)', async () => {
    proxy.routes.disabled = true;
    await fs.writeFile(path.join(work, 'a.txt'), 'a');
    for (const attempt of [() => store().upload(path.join(work, 'a.txt')), () => store().list(), () => store().download('a.txt', work)]) {
      const before = proxy.seen.length;
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TrackerUnavailableError);
      expect((error as TrackerUnavailableError).code).toBe(ErrorCodes.ARTIFACT_STORE_UNAVAILABLE);
      expect((error as Error).message).toMatch(/no artifact serving/);
      expect((error as Error).message).toMatch(/--serve-artifacts/);
      expect((error as Error).message).toMatch(/s3:\/\//);
      expect((error as Error).message).not.toContain(TOKEN);
      expect(proxy.seen.length - before).toBe(1);
    }
  });

  it('reports a missing artifact as ARTIFACT_NOT_FOUND and a missing local file as NOT_FOUND, both naming the path', async () => {
    const missing = await store().download('model/absent.pkl', work).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).code).toBe(ErrorCodes.ARTIFACT_NOT_FOUND);
    expect((missing as Error).message).toContain('"model/absent.pkl"');
    await expect(fs.readdir(path.join(work, 'model'))).resolves.not.toContain('absent.pkl');

    const local = await store().upload(path.join(work, 'nope.txt')).catch((e: unknown) => e);
    expect(local).toBeInstanceOf(NotFoundError);
    expect((local as NotFoundError).code).toBe(ErrorCodes.NOT_FOUND);
    expect((local as Error).message).toContain(path.join(work, 'nope.txt'));
  });

  it('works without the REST client’s instance, with a plain client for the tracking URI', async () => {
    const plain = createArtifactStore(ARTIFACT_URI, { trackingUri: proxy.uri });
    await plain.upload(path.join(work, 'model', 'MLmodel'), 'm');
    expect(await plain.list('m')).toEqual([{ path: 'm/MLmodel', isDir: false, fileSize: MODEL_FILES.MLmodel!.length }]);
  });
});
