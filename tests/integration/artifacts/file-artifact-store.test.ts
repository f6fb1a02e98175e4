import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, ErrorCodes, NotFoundError, ValidationError } from '../../../src/domain/errors';
import { createArtifactStore } from '../../../src/infrastructure/tracking/artifacts/create-artifact-store';
import { FileArtifactStore } from '../../../src/infrastructure/tracking/shared/file-artifact-store';
import { MODEL_FILES, readTree, TempDirs, writeTree } from './artifact-fixtures';

describe('FileArtifactStore (file: artifact roots)', () => {
  const temp = new TempDirs();
  let root: string;
  let work: string;
  let store: FileArtifactStore;

  beforeEach(async () => {
    root = path.join(await temp.make('file-store'), 'mlruns', '0', 'run1', 'artifacts');
    work = await temp.make('file-work');
    store = createArtifactStore(pathToFileURL(root).href, { trackingUri: 'file:///unused' }) as FileArtifactStore;
    await writeTree(path.join(work, 'model'), MODEL_FILES);
    await fs.writeFile(path.join(work, 'report.html'), '<h1>ok</h1>');
  });
  afterEach(() => temp.cleanup());

  it('is what a file: URI or a plain path selects', () => {
    expect(store).toBeInstanceOf(FileArtifactStore);
    expect(store.root).toBe(root);
    expect(createArtifactStore(root, { trackingUri: 'x' })).toBeInstanceOf(FileArtifactStore);
  });

  it('copies a file to <artifactPath>/<basename> and a directory’s contents under <artifactPath>', async () => {
    await store.upload(path.join(work, 'report.html'));
    await store.upload(path.join(work, 'report.html'), 'reports/2024');
    await store.upload(path.join(work, 'model'), 'model');

    expect(await fs.readFile(path.join(root, 'report.html'), 'utf8')).toBe('<h1>ok</h1>');
    expect(await fs.readFile(path.join(root, 'reports', '2024', 'report.html'), 'utf8')).toBe('<h1>ok</h1>');
    expect(await readTree(path.join(root, 'model'))).toEqual(MODEL_FILES);
  });

  it('lists direct children with paths relative to the artifact root, sorted; a missing directory is empty', async () => {
    await store.upload(path.join(work, 'model'), 'model');
    await store.upload(path.join(work, 'report.html'));
    expect(await store.list()).toEqual([
      { path: 'model', isDir: true },
      { path: 'report.html', isDir: false, fileSize: 11 },
    ]);
    expect(await store.list('model/')).toEqual([
      { path: 'model/MLmodel', isDir: false, fileSize: MODEL_FILES.MLmodel!.length },
      { path: 'model/data', isDir: true },
      { path: 'model/model.bin', isDir: false, fileSize: 70_000 },
    ]);
    expect(await store.list('nothing/here')).toEqual([]);
  });

  it('downloads a file or a directory to <destDir>/<path>, byte for byte, and returns that path', async () => {
    await store.upload(path.join(work, 'model'), 'model');
    const dest = await temp.make('file-dest');
    const file = await store.download('model/data/weights v2.npy', dest);
    expect(file).toBe(path.join(dest, 'model', 'data', 'weights v2.npy'));
    expect((await fs.readFile(file)).equals(MODEL_FILES['data/weights v2.npy']!)).toBe(true);

    const dir = await store.download('model', dest);
    expect(dir).toBe(path.join(dest, 'model'));
    expect(await readTree(dir)).toEqual(MODEL_FILES);

    const everything = await temp.make('file-all');
    expect(await store.download('', everything)).toBe(everything);
    expect(Object.keys(await readTree(everything)).sort()).toEqual(Object.keys(MODEL_FILES).map((k) => `model/${k}`).sort());
  });

  it('names the missing local file when asked to upload something that does not exist', async () => {
    const missing = path.join(work, 'no-such-model.pkl');
    const error = await store.upload(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).code).toBe(ErrorCodes.NOT_FOUND);
    expect((error as Error).message).toContain(missing);
  });

  it('reports a missing artifact as ARTIFACT_NOT_FOUND naming the path', async () => {
    const error = await store.download('model/MLmodel', await temp.make('file-dest')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).code).toBe(ErrorCodes.ARTIFACT_NOT_FOUND);
    expect((error as Error).message).toContain('"model/MLmodel"');
  });

  it('refuses paths that would escape the run’s artifact root', async () => {
    for (const attempt of [() => store.upload(path.join(work, 'report.html'), '../../other-run'), () => store.list('a/../../x'), () => store.download('..', work)]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(/may not contain "\.\."/);
    }
  });

  it('rejects an artifact URI scheme it cannot write, saying which ones it can', () => {
    expect(() => createArtifactStore('gs://bucket/path', { trackingUri: 'http://x' })).toThrow(ConfigError);
    try {
      createArtifactStore('gs://bucket/path', { trackingUri: 'http://x' });
    } catch (error) {
      expect((error as ConfigError).code).toBe(ErrorCodes.ADAPTER_NOT_AVAILABLE);
      expect((error as Error).message).toMatch(/mlflow-artifacts.*s3:\/\//s);
    }
  });
});
