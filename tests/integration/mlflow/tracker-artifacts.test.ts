import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCodes, TrackerUnavailableError } from '../../../src/domain/errors';
import { MlflowTracker } from '../../../src/infrastructure/tracking/mlflow';
import { fastSettings } from '../../support/mlflow-server/client-settings';
import { MlflowTestServer } from '../../support/mlflow-server';
import { startS3rver, type S3rverHandle } from '../../support/s3rver';

/**
 * MlflowTracker picks the artifact store from each run's artifact_uri: the server's proxy
 * (mlflow-artifacts:/), S3 written directly (s3://, with MLFLOW_S3_ENDPOINT_URL and AWS_*), or a
 * local copy (file://).
 */
describe('MlflowTracker artifacts, by the run\'s artifact_uri', () => {
  let work: string;
  let server: MlflowTestServer | undefined;
  let tracker: MlflowTracker | undefined;

  beforeEach(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'mlflow-tracker-artifacts-'));
    await fs.mkdir(path.join(work, 'model'));
    await fs.writeFile(path.join(work, 'model', 'MLmodel'), 'flavors: {}\n');
    await fs.writeFile(path.join(work, 'notes.txt'), 'hello');
  });
  afterEach(async () => {
    await tracker?.stop();
    await server?.stop();
    tracker = undefined;
    server = undefined;
    await fs.rm(work, { recursive: true, force: true });
  });

  async function roundTrip(t: MlflowTracker, runId: string): Promise<void> {
    await t.logArtifact(runId, path.join(work, 'model'), 'model');
    await t.logArtifact(runId, path.join(work, 'notes.txt'));
    expect(await t.listArtifacts(runId)).toEqual([
      { path: 'model', isDir: true },
      { path: 'notes.txt', isDir: false, fileSize: 5 },
    ]);
    const dest = path.join(work, 'download');
    const local = await t.downloadArtifact(runId, 'model/MLmodel', dest);
    expect(await fs.readFile(local, 'utf8')).toBe('flavors: {}\n');
  }

  it('mlflow-artifacts:/ → PUTs through the server\'s artifact proxy with the client\'s auth header', async () => {
    server = await MlflowTestServer.start({ auth: { bearer: 'tok-artifacts-1' } });
    tracker = new MlflowTracker(fastSettings(server, {}, { MLFLOW_TRACKING_TOKEN: 'tok-artifacts-1' }));
    const run = await tracker.createRun();
    await roundTrip(tracker, run.runId);
    const puts = server.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.path)).toContain(`/api/2.0/mlflow-artifacts/artifacts/0/${run.runId}/artifacts/model/MLmodel`);
    expect(puts.every((r) => r.headers.authorization === 'Bearer tok-artifacts-1')).toBe(true);
  });

  it('a server started with --no-serve-artifacts (plain-text 503) fails at once, without retries', async () => {
    server = await MlflowTestServer.start();
    server.artifacts.disabled = true;
    tracker = new MlflowTracker(fastSettings(server, { maxRetries: 5, backoffFactor: 1 }));
    const { runId } = await tracker.createRun();
    const error = await tracker.logArtifact(runId, path.join(work, 'notes.txt')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrackerUnavailableError);
    expect(error).toMatchObject({ code: ErrorCodes.ARTIFACT_STORE_UNAVAILABLE });
    expect(server.requests.filter((r) => r.method === 'PUT')).toHaveLength(1); // with 5 retries allowed
  });

  it('file:// → copies into the run\'s directory on this disk', async () => {
    const root = path.join(work, 'mlruns');
    server = await MlflowTestServer.start({ artifactRoot: pathToFileURL(root).href });
    tracker = new MlflowTracker(fastSettings(server));
    const run = await tracker.createRun();
    expect(run.artifactUri).toBe(`${pathToFileURL(root).href}/0/${run.runId}/artifacts`);
    await roundTrip(tracker, run.runId);
    expect(await fs.readFile(path.join(root, '0', run.runId, 'artifacts', 'notes.txt'), 'utf8')).toBe('hello');
  });

  describe('s3://', () => {
    let s3: S3rverHandle;
    beforeAll(async () => {
      s3 = await startS3rver('mlflow');
    });
    afterAll(async () => {
      await s3.stop();
    });

    it('writes to S3 itself with MLFLOW_S3_ENDPOINT_URL and AWS_* credentials, for a run it did not create too', async () => {
      server = await MlflowTestServer.start({ artifactRoot: 's3://mlflow/prefix' });
      const env = { MLFLOW_S3_ENDPOINT_URL: s3.endpoint, AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey };
      const creator = new MlflowTracker(fastSettings(server, {}, env));
      const run = await creator.createRun();
      await creator.endRun(run.runId);
      await creator.stop();
      expect(run.artifactUri).toBe(`s3://mlflow/prefix/0/${run.runId}/artifacts`);
      tracker = new MlflowTracker(fastSettings(server, {}, env));
      await roundTrip(tracker, run.runId); // learns the artifact_uri from runs/get
      const stored = await fs.readdir(path.join(s3.directory, 'mlflow'), { recursive: true });
      expect(stored.join('\n')).toContain(`prefix/0/${run.runId}/artifacts/notes.txt`);
    });
  });
});
