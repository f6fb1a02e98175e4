import type { onnx as OnnxNamespace } from 'onnx-proto';

/**
 * ONNX's protobuf messages: `onnx-proto` (ONNX's own onnx.proto compiled by protobufjs). onnx-proto
 * depends on protobufjs 6, whose package ships ~19 MB of its CLI's dependencies, so an app does not
 * install it: the build bundles onnx-proto with the small protobufjs runtime it needs into
 * `dist/vendor/onnx-proto.js` (scripts/vendor-onnx-proto.js). From the sources (tests, the CLI bundle)
 * the package itself is loaded.
 *
 * @example const bytes = onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8 })).finish();
 */
export const onnx: typeof OnnxNamespace = load();

function load(): typeof OnnxNamespace {
  /* eslint-disable @typescript-eslint/no-require-imports -- the vendored build first, the package from sources */
  try {
    return (require('../../../vendor/onnx-proto.js') as { onnx: typeof OnnxNamespace }).onnx;
  } catch {
    return (require('onnx-proto') as { onnx: typeof OnnxNamespace }).onnx;
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}
