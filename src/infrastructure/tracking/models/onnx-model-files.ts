import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ONNX_FORMAT_VERSION } from '../../models/onnx/onnx-encoder';
import { MODEL_PYTHON_VERSION, ONNX_PIP_REQUIREMENTS, PYTHON_ENV_FILES, pythonEnvFiles } from './python-env';

/**
 * Where an ONNX model's graph is kept, relative to the model's root (`mlflow.onnx`'s `_MODEL_DATA_SUBPATH`).
 *
 * @example await fs.writeFile(join(dir, ONNX_MODEL_FILE), bytes);
 */
export const ONNX_MODEL_FILE = 'model.onnx';

/**
 * The flavors `mlflow.onnx.save_model` declares, as the MLmodel carries them: `onnx` (the file, the ONNX
 * format version, onnxruntime's providers, no session options, no code) and `python_function` (the
 * pyfunc entry `mlflow.pyfunc.load_model` and `mlflow models serve` need: `loader_module: mlflow.onnx`,
 * the same file, the environment files and the Python version).
 *
 * @example const flavors = { ...onnxFlavors(), mlops_kit: { loader: 'linear-regression', mlops_kit_version: '0.1.0' } };
 */
export function onnxFlavors(): Record<'onnx' | 'python_function', Record<string, unknown>> {
  return {
    onnx: {
      code: null,
      data: ONNX_MODEL_FILE,
      onnx_session_options: null,
      onnx_version: ONNX_FORMAT_VERSION,
      // MLflow's default: the GPU where onnxruntime-gpu has one, else the CPU
      providers: ['CUDAExecutionProvider', 'CPUExecutionProvider'],
    },
    python_function: {
      data: ONNX_MODEL_FILE,
      env: { conda: PYTHON_ENV_FILES.conda, virtualenv: PYTHON_ENV_FILES.virtualenv },
      loader_module: 'mlflow.onnx',
      python_version: MODEL_PYTHON_VERSION,
    },
  };
}

/**
 * Writes the environment files of an ONNX model (`requirements.txt`, `python_env.yaml`, `conda.yaml`)
 * into its directory. MLflow writes them after the MLmodel, so they are not counted in its
 * `model_size_bytes`; call this after `saveMlmodel` to match.
 *
 * @example await saveMlmodel(dir, options); await writeOnnxEnvFiles(dir);
 */
export async function writeOnnxEnvFiles(dir: string): Promise<void> {
  for (const [name, text] of Object.entries(pythonEnvFiles(ONNX_PIP_REQUIREMENTS))) await fs.writeFile(join(dir, name), text);
}
