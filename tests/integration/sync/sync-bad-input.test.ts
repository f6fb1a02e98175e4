import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ErrorCodes, NotFoundError, StoreCorruptError, TrackerUnavailableError, UnauthorizedError, UsageError } from '../../../src/domain/errors';
import { MlflowTestServer } from '../../support/mlflow-server';
import { RUN_A, writeGoldenStore, type GoldenStore } from './golden-store';
import { runSync, writes, type SyncResult } from './sync-harness';

/** Everything a user or a log could see of one sync. */
const everything = (r: SyncResult): string => [r.stdout, r.stderr, r.errorLine, r.logger.dump(), JSON.stringify((r.error as { details?: unknown })?.details ?? {})].join('\n');

describe('mlops-kit sync: bad input fails before anything is sent', () => {
  let server: MlflowTestServer;
  let golden: GoldenStore;
  beforeEach(async () => {
    server = await MlflowTestServer.start();
    golden = await writeGoldenStore();
  });
  afterEach(async () => {
    await server.stop();
    await rm(path.dirname(golden.root), { recursive: true, force: true });
  });

  it('a missing store path: exit 2, the error names the path, the server hears nothing', async () => {
    const missing = path.join(path.dirname(golden.root), 'nope');
    const result = await runSync(missing, { to: server.uri });
    expect(result.code).toBe(2);
    expect(result.error).toBeInstanceOf(UsageError);
    expect(result.errorLine).toContain(`mlops-kit: USAGE: Local store ${missing} does not exist`);
    expect(server.requests).toEqual([]);
  });

  it('a relative store path is resolved against the working directory and named in full', async () => {
    const cwd = path.dirname(golden.root);
    const result = await runSync('mlrunz', { to: server.uri }, { cwd });
    expect(result.code).toBe(2);
    expect(result.errorLine).toContain(path.join(cwd, 'mlrunz'));
  });

  it('a corrupt meta.yaml: StoreCorruptError naming the file, exit 1, the server hears nothing', async () => {
    const file = path.join(golden.root, '1', RUN_A, 'meta.yaml');
    await writeFile(file, 'run_id: [oops\n');
    const result = await runSync(golden.root, { to: server.uri });
    expect(result.error).toBeInstanceOf(StoreCorruptError);
    expect((result.error as StoreCorruptError).code).toBe(ErrorCodes.STORE_CORRUPT);
    expect(result.errorLine).toContain(`mlops-kit: STORE_CORRUPT: Local MLflow store file ${file} is corrupt`);
    expect(result.code).toBe(1);
    expect(server.requests).toEqual([]);
  });

  it('an unsupported scheme: exit 2, naming --to, with any password in it masked', async () => {
    const result = await runSync(golden.root, { to: 'ftp://ana:s3cr3t-pw@files.example.com/mlflow' });
    expect(result.code).toBe(2);
    expect(result.error).toBeInstanceOf(UsageError);
    expect(result.errorLine).toContain('--to ftp://ana:***@files.example.com/mlflow uses the unsupported scheme "ftp:"');
    expect(everything(result)).not.toContain('s3cr3t-pw');
  });

  it('a local path as target: exit 2 saying the target must be a server', async () => {
    const result = await runSync(golden.root, { to: './other-mlruns' });
    expect(result.code).toBe(2);
    expect(result.errorLine).toMatch(/--to \.\/other-mlruns is a local path; .*must be http:\/\/ or https:\/\//);
  });

  it('no --to and no MLFLOW_TRACKING_URI: exit 2 saying how to name the target', async () => {
    const result = await runSync(golden.root, {});
    expect(result.code).toBe(2);
    expect(result.errorLine).toContain('no target server. Pass --to');
  });

  it('MLFLOW_TRACKING_URI pointing at a local store is refused, naming the variable', async () => {
    const result = await runSync(golden.root, {}, { env: { MLFLOW_TRACKING_URI: './mlruns' } });
    expect(result.code).toBe(2);
    expect(result.errorLine).toContain('MLFLOW_TRACKING_URI ./mlruns is a local path');
  });

  it('takes the target and credentials from the .env file when --to is not given', async () => {
    await server.stop();
    server = await MlflowTestServer.start({ auth: { basic: { username: 'ana', password: 'env-file-pw' } } });
    const cwd = await mkdtemp(path.join(os.tmpdir(), 'sync-envfile-'));
    try {
      await writeFile(path.join(cwd, '.env'), `MLFLOW_TRACKING_URI=${server.uri}\nMLFLOW_TRACKING_USERNAME=ana\nMLFLOW_TRACKING_PASSWORD=env-file-pw\n`);
      const result = await runSync(golden.root, {}, { cwd });
      expect(result.error).toBeUndefined();
      expect(server.store.experimentByName('churn')).toBeDefined();
      expect(everything(result)).not.toContain('env-file-pw');
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });

  it('an unreachable server: TrackerUnavailableError (exit 1) before anything is sent', async () => {
    const port = new URL(server.uri).port;
    await server.stop();
    const result = await runSync(golden.root, { to: `http://127.0.0.1:${port}` });
    expect(result.code).toBe(1);
    expect(result.error).toBeInstanceOf(TrackerUnavailableError);
    expect(result.errorLine).toContain(`127.0.0.1:${port}`);
    server = await MlflowTestServer.start(); // for afterEach
  });

  it('refused credentials: UnauthorizedError (exit 1), only reads reached the server, the password is never shown', async () => {
    await server.stop();
    server = await MlflowTestServer.start({ auth: { basic: { username: 'ana', password: 'right-pw' } } });
    const result = await runSync(golden.root, { to: server.uri }, { env: { MLFLOW_TRACKING_USERNAME: 'ana', MLFLOW_TRACKING_PASSWORD: 'wrong-pw-123' } });
    expect(result.code).toBe(1);
    expect(result.error).toBeInstanceOf(UnauthorizedError);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(writes(server.requests)).toEqual([]);
    expect(everything(result)).not.toContain('wrong-pw-123');
  });

  it('credentials written into the URI are used and never printed', async () => {
    await server.stop();
    server = await MlflowTestServer.start({ auth: { basic: { username: 'ana', password: 'uri-pw-456' } } });
    const withCredentials = server.uri.replace('http://', 'http://ana:uri-pw-456@');
    const result = await runSync(golden.root, { to: withCredentials });
    expect(result.error).toBeUndefined();
    expect(result.stdout).toContain(`→ ${server.uri}\n`);
    expect(everything(result)).not.toContain('uri-pw-456');
  });

  it('a URL that is not an MLflow server fails the check, before any write', async () => {
    const requests: string[] = [];
    const other = http.createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not Found</h1>');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const result = await runSync(golden.root, { to: `http://127.0.0.1:${(other.address() as AddressInfo).port}` });
      expect(result.code).toBe(1);
      expect(result.error).toBeInstanceOf(NotFoundError);
      expect(requests.every((r) => r.startsWith('GET '))).toBe(true);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('a failure mid-sync prints what was sent so far, and the store is unchanged', async () => {
    const meta = path.join(golden.root, '1', RUN_A, 'meta.yaml');
    const before = await readFile(meta, 'utf8');
    server.failNext(1, { status: 400, match: 'model-versions/create' });
    const result = await runSync(golden.root, { to: server.uri });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('sync stopped by an error');
    expect(result.stdout).toMatch(/runs +3 created/);
    expect(await readFile(meta, 'utf8')).toBe(before);
  });
});
