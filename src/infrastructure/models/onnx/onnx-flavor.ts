import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { ErrorCodes, ModelLoadError } from '../../../domain/errors';
import type { FlavorScorer, ModelFiles, ModelFlavorLoader } from '../../../domain/ports/model-loader';
import type { ModelOutputs } from '../../../domain/model/model-input';
import { planFeeds, tensorData, type TensorMeta } from './onnx-feeds';
import { readableOutputType, rowsOf } from './onnx-outputs';
import { assertReportsShapes, loadOnnxRuntime } from './onnx-runtime';

/** The file MLflow's onnx flavor keeps the model in when its `data` does not say otherwise. */
const DEFAULT_DATA = 'model.onnx';

/**
 * MLflow's `onnx` flavor, scored with onnxruntime-node (required on the first load, an optional peer).
 * Reads the flavor's `data` file (default `model.onnx`) into memory and opens an inference session on
 * it; a missing, corrupt or truncated file is a one-line ModelLoadError (MODEL_LOAD_FAILED) naming it.
 * Feeds a checked batch as MLflow's `_OnnxModelWrapper.predict` feeds a DataFrame (see `planFeeds`),
 * casting numbers to each input's element type, and returns every tensor output by name, one entry per
 * row (see `rowsOf`). One session serves concurrent `score` calls (onnxruntime sessions allow concurrent
 * runs); `release()` frees it.
 *
 * @example const scorer = await ONNX_FLAVOR_LOADER.load({ uri, dir, flavor: { data: 'model.onnx' }, flavors: ['onnx'], signature });
 */
export const ONNX_FLAVOR_LOADER: ModelFlavorLoader = {
  flavor: 'onnx',
  load: loadOnnxFlavor,
};

async function loadOnnxFlavor(files: ModelFiles): Promise<FlavorScorer> {
  const ort = loadOnnxRuntime();
  const file = dataFile(files);
  const bytes = await readFile(path.join(files.dir, file)).catch((error: NodeJS.ErrnoException) => {
    throw loadError(files.uri, `${file} cannot be read (${error.code ?? 'error'}): the onnx flavor's data file is missing from the model's files`, file, error);
  });
  let session: Ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes);
  } catch (error) {
    throw loadError(files.uri, `${file} is not a valid ONNX model (onnxruntime: ${safeLine(error)}); re-export or re-log it`, file, error);
  }
  try {
    assertReportsShapes(session, ort.env.versions?.node);
    const { feeds, columns } = planFeeds(files.uri, file, session.inputMetadata.map(tensorMeta), files.signature);
    const outputNames = session.outputMetadata.filter((o) => o.isTensor && readableOutputType(o.type)).map((o) => o.name);
    if (outputNames.length === 0) throw loadError(files.uri, `${file} has no tensor output mlops-kit can read (numbers, bool or string)`, file);
    const where = `${files.uri}: ${file}`;
    let released = false;
    return {
      inputs: columns,
      outputNames,
      async score(batch): Promise<ModelOutputs> {
        if (batch.rows === 0) return Object.fromEntries(outputNames.map((name) => [name, []]));
        const feed = Object.fromEntries(feeds.map((f) => [f.input, tensorOf(ort, f.type, tensorData(f, batch))]));
        let results: Ort.InferenceSession.OnnxValueMapType;
        try {
          results = await session.run(feed, outputNames);
        } catch (error) {
          throw loadError(files.uri, `onnxruntime could not score ${file} (${safeLine(error)})${realmHint(error)}`, file, error);
        }
        return Object.fromEntries(outputNames.map((name) => [name, rowsOf(results[name] as Ort.Tensor, batch.rows, name, where)]));
      },
      async release(): Promise<void> {
        if (released) return;
        released = true;
        await session.release();
      },
    };
  } catch (error) {
    await session.release().catch(() => undefined);
    throw error;
  }
}

/** The flavor's `data`, a file inside the model's directory (never a path out of it). */
function dataFile(files: ModelFiles): string {
  const data = files.flavor.data ?? DEFAULT_DATA;
  const inside = typeof data === 'string' && data !== '' && !path.isAbsolute(data) && !path.normalize(data).split(path.sep).includes('..');
  if (!inside) throw loadError(files.uri, `the onnx flavor's data ${JSON.stringify(data)} is not a file inside the model's directory; fix the MLmodel`, String(data));
  return data as string;
}

function tensorMeta(meta: Ort.InferenceSession.ValueMetadata): TensorMeta {
  return meta.isTensor ? { name: meta.name, type: meta.type, shape: meta.shape } : { name: meta.name, type: 'non-tensor', shape: [] };
}

function tensorOf(ort: typeof Ort, type: string, { data, dims }: ReturnType<typeof tensorData>): Ort.Tensor {
  return new ort.Tensor(type as 'float32', data as Float32Array, dims);
}

/** onnxruntime's message, first line only, printable ASCII only: no stack text, no bytes of the file. */
function safeLine(error: unknown): string {
  // duck-typed: an error from the native binding may come from another realm (instanceof Error is false)
  const message = (error as { message?: unknown } | null)?.message;
  const text = typeof message === 'string' ? message : String(error);
  const line = text.split('\n')[0]!.replace(/[^\x20-\x7e]/g, '?').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** Under Jest each test file has its own typed-array classes, which onnxruntime refuses: say what fixes it. */
function realmHint(error: unknown): string {
  return /tensor's data must be type of/.test(safeLine(error)) ? "; under Jest, set testEnvironment: 'mlops-kit/jest-environment'" : '';
}

function loadError(uri: string, why: string, file: string, cause?: unknown): ModelLoadError {
  return new ModelLoadError(`${uri}: ${why}.`, ErrorCodes.MODEL_LOAD_FAILED, { details: { uri, file }, ...(cause !== undefined && { cause }) });
}
