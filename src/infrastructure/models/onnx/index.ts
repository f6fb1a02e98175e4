// ONNX: MLflow's onnx flavor scored with onnxruntime-node, and ONNX files written from an OnnxGraph.
// PLACEHOLDER exports, replaced by the real ones.
import { ModelLoadError } from '../../../domain/errors';
import type { ModelFlavorLoader } from '../../../domain/ports/model-loader';

/** MLflow's `onnx` flavor, scored with onnxruntime-node (loaded on first use). */
export const ONNX_FLAVOR_LOADER: ModelFlavorLoader = {
  flavor: 'onnx',
  async load(files) {
    throw new ModelLoadError(`${files.uri}: the onnx loader is not built yet`);
  },
};
