import { promises as fs } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, NotFoundError, StoreCorruptError } from '../../../src/domain/errors';
import { mlmodelYaml } from '../../../src/infrastructure/tracking/models/mlmodel-file';
import { mlopsKitFlavorOf, parseMlmodel, readMlmodel } from '../../../src/infrastructure/tracking/models/mlmodel-read';

const golden = (name: string) => fs.readFile(join(__dirname, 'golden', name), 'utf8');

function caught(fn: () => unknown): StoreCorruptError {
  try {
    fn();
  } catch (error) {
    return error as StoreCorruptError;
  }
  throw new Error('expected a throw');
}

describe('parseMlmodel', () => {
  it('reads back a file written the way MLflow writes it: ids, time, size, signature as column specs, example info', async () => {
    const model = parseMlmodel(await golden('MLmodel.logged-model'), 'model/MLmodel');
    expect(model).toMatchObject({
      artifactPath: 'mlflow-artifacts:/1/models/m-7d6c5b4a39281706f5e4d3c2b1a09f8e/artifacts',
      modelId: 'm-7d6c5b4a39281706f5e4d3c2b1a09f8e',
      modelUuid: 'm-7d6c5b4a39281706f5e4d3c2b1a09f8e',
      runId: '4f1e2d3c4b5a69788796a5b4c3d2e1f0',
      utcTimeCreated: '2026-01-12 05:17:31.634000',
      sizeBytes: 2048,
      savedInputExampleInfo: { artifact_path: 'input_example.json', type: 'dataframe', pandas_orient: 'split' },
    });
    expect(model.signature?.inputs[0]).toEqual({ type: 'long', name: 'hour', required: true });
    expect(model.signature?.inputs).toHaveLength(7);
    expect(model.signature?.outputs).toEqual([{ type: 'double', required: true }]);
    expect(mlopsKitFlavorOf(model, 'model/MLmodel')).toEqual({ loader: 'linear-regression', mlops_kit_version: '0.1.0', data: 'model.json' });
  });

  it('round-trips what mlmodelYaml writes, hex ids that look like numbers staying strings', () => {
    const text = mlmodelYaml({ modelUuid: '1234e5', runId: '0123', createdAt: 0, flavors: { mlops_kit: { loader: 'x', mlops_kit_version: '1' } } });
    const model = parseMlmodel(text, 'MLmodel');
    expect(model.modelUuid).toBe('1234e5');
    expect(model.runId).toBe('0123');
    expect(model.modelId).toBeUndefined();
    expect(model.signature).toBeUndefined();
  });

  it('keeps a model with a tensor signature readable, without a signature', () => {
    const text = "flavors:\n  python_function: {}\nsignature:\n  inputs: '[{\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"float32\", \"shape\": [-1, 4]}}]'\n";
    expect(parseMlmodel(text, 'MLmodel').signature).toBeUndefined();
  });

  it.each([
    ['not YAML', 'flavors: [unclosed', /model\/MLmodel is not a valid MLmodel file: it is not valid YAML/],
    ['not a mapping', '- a\n- b\n', /it does not hold a YAML mapping/],
    ['no flavors', 'run_id: abc\n', /flavors: /],
    ['flavors not a mapping', 'flavors: 3\n', /flavors: /],
    ['a wrongly typed field', 'flavors: {}\nmodel_size_bytes: big\n', /model_size_bytes: /],
    ['a signature that is not JSON', "flavors: {}\nsignature:\n  inputs: '[{oops'\n", /signature\.inputs: not a JSON list of column specs/],
  ])('refuses %s with a StoreCorruptError naming the file and key', (_what, text, message) => {
    const error = caught(() => parseMlmodel(text, 'model/MLmodel'));
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect(error.code).toBe(ErrorCodes.STORE_CORRUPT);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('model/MLmodel');
    expect(error.details).toEqual({ file: 'model/MLmodel' });
  });

  it('says when a model was not saved by mlops-kit, listing its flavors', () => {
    const model = parseMlmodel('flavors:\n  python_function: {}\n  sklearn: {}\n', 'm/MLmodel');
    expect(caught(() => mlopsKitFlavorOf(model, 'm/MLmodel')).message).toMatch(/has no mlops_kit flavor \(flavors: python_function, sklearn\)/);
    const noLoader = parseMlmodel('flavors:\n  mlops_kit:\n    mlops_kit_version: 0.1.0\n', 'm/MLmodel');
    expect(caught(() => mlopsKitFlavorOf(noLoader, 'm/MLmodel')).message).toMatch(/flavors\.mlops_kit\.loader/);
  });
});

describe('readMlmodel', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlmodel-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads <dir>/MLmodel', async () => {
    await fs.writeFile(join(dir, 'MLmodel'), await golden('MLmodel.run-artifacts'));
    expect((await readMlmodel(dir)).artifactPath).toBe('model');
  });

  it('a directory without an MLmodel is ARTIFACT_NOT_FOUND naming the file', async () => {
    const error = await readMlmodel(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).code).toBe(ErrorCodes.ARTIFACT_NOT_FOUND);
    expect((error as NotFoundError).message).toContain(join(dir, 'MLmodel'));
  });

  it('a broken MLmodel is STORE_CORRUPT naming the file', async () => {
    await fs.writeFile(join(dir, 'MLmodel'), 'flavors: [\n');
    const error = await readMlmodel(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect((error as StoreCorruptError).message).toContain(join(dir, 'MLmodel'));
  });
});
