import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ErrorCodes, NotFoundError, TrackerUnavailableError, UnauthorizedError } from '../../../src/domain/errors';
import { createArtifactStore } from '../../../src/infrastructure/tracking/artifacts/create-artifact-store';
import { S3ArtifactStore } from '../../../src/infrastructure/tracking/artifacts/s3-artifact-store';
import type { S3Settings } from '../../../src/infrastructure/tracking/artifacts/s3-settings';
import { startS3rver, type S3rverHandle } from '../../support/s3rver';
import { MODEL_FILES, readTree, TempDirs, writeTree } from './artifact-fixtures';

const RUN_URI = 's3://mlflow/experiments/3/0123456789abcdef0123456789abcdef/artifacts';
const PREFIX = 'experiments/3/0123456789abcdef0123456789abcdef/artifacts';

describe('S3ArtifactStore (s3:// against s3rver)', () => {
  const temp = new TempDirs();
  let s3: S3rverHandle;
  let settings: S3Settings;
  let sdk: S3Client;
  let work: string;

  beforeAll(async () => {
    s3 = await startS3rver('mlflow');
    settings = { endpointUrl: s3.endpoint, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey };
    sdk = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
  });
  afterAll(async () => {
    sdk.destroy();
    await s3.stop();
  });
  beforeEach(async () => {
    work = await temp.make('s3-work');
    await writeTree(path.join(work, 'model'), MODEL_FILES);
  });
  afterEach(() => temp.cleanup());

  const store = (): S3ArtifactStore => createArtifactStore(RUN_URI, { trackingUri: 'http://unused', s3: settings }) as S3ArtifactStore;

  async function objectBytes(key: string): Promise<Buffer> {
    const object = await sdk.send(new GetObjectCommand({ Bucket: 'mlflow', Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  }

  it('uploads to <prefix>/<artifactPath>/<basename>, readable back with the SDK byte for byte', async () => {
    await fs.writeFile(path.join(work, 'metrics.json'), '{"auc":0.91}');
    await store().upload(path.join(work, 'metrics.json'), 'eval');
    await store().upload(path.join(work, 'model'), 'model');
    expect((await objectBytes(`${PREFIX}/eval/metrics.json`)).toString()).toBe('{"auc":0.91}');
    for (const [relative, bytes] of Object.entries(MODEL_FILES)) expect((await objectBytes(`${PREFIX}/model/${relative}`)).equals(bytes)).toBe(true);
  });

  it('lists one level with a delimiter, paths from the artifact root, sorted', async () => {
    await store().upload(path.join(work, 'model'), 'model');
    expect(await store().list()).toEqual(expect.arrayContaining([{ path: 'model', isDir: true }]));
    expect(await store().list('model')).toEqual([
      { path: 'model/MLmodel', isDir: false, fileSize: MODEL_FILES.MLmodel!.length },
      { path: 'model/data', isDir: true },
      { path: 'model/model.bin', isDir: false, fileSize: 70_000 },
    ]);
    expect(await store().list('model/data')).toEqual([
      { path: 'model/data/nested', isDir: true },
      { path: 'model/data/weights v2.npy', isDir: false, fileSize: 3_000 },
    ]);
    expect(await store().list('missing')).toEqual([]);
  });

  it('downloads a file and a directory to <destDir>/<path>, byte for byte', async () => {
    await store().upload(path.join(work, 'model'), 'model');
    const dest = await temp.make('s3-dest');
    const file = await store().download('model/data/weights v2.npy', dest);
    expect(file).toBe(path.join(dest, 'model', 'data', 'weights v2.npy'));
    expect((await fs.readFile(file)).equals(MODEL_FILES['data/weights v2.npy']!)).toBe(true);
    expect(await readTree(await store().download('model', dest))).toEqual(MODEL_FILES);
  });

  it('reports a missing object as ARTIFACT_NOT_FOUND and a missing bucket as NOT_FOUND, naming them', async () => {
    const missing = await store().download('model/absent.pkl', work).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).code).toBe(ErrorCodes.ARTIFACT_NOT_FOUND);
    expect((missing as Error).message).toContain(`s3://mlflow/${PREFIX}/model/absent.pkl`);

    const noBucket = new S3ArtifactStore('s3://no-such-bucket/x', settings);
    const error = await noBucket.upload(path.join(work, 'model', 'MLmodel')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toContain('"no-such-bucket"');
  });

  it('says the credentials were refused without echoing the secret', async () => {
    const secret = 'wrong-secret-value-xyz';
    const refused = new S3ArtifactStore(RUN_URI, { ...settings, accessKeyId: 'NOT-S3RVER', secretAccessKey: secret });
    const error = await refused.upload(path.join(work, 'model', 'MLmodel')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as UnauthorizedError).code).toBe(ErrorCodes.UNAUTHORIZED);
    expect(JSON.stringify((error as UnauthorizedError).toJSON())).not.toContain(secret);
    expect((error as Error).message).not.toContain(secret);
  });

  it('reports an unreachable endpoint as ARTIFACT_STORE_UNAVAILABLE naming it', async () => {
    const unreachable = new S3ArtifactStore(RUN_URI, { ...settings, endpointUrl: 'http://127.0.0.1:9' });
    const error = await unreachable.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrackerUnavailableError);
    expect((error as TrackerUnavailableError).code).toBe(ErrorCodes.ARTIFACT_STORE_UNAVAILABLE);
    expect((error as Error).message).toContain('http://127.0.0.1:9');
  });
});
