// ONNX: MLflow's onnx flavor scored with onnxruntime-node, and ONNX files written from an OnnxGraph.
export { ONNX_FLAVOR_LOADER } from './onnx-flavor';
export { encodeOnnx, onnxModelBytes, ONNX_FORMAT_VERSION, ONNX_IR_VERSION } from './onnx-encoder';
