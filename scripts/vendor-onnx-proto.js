// Bundles onnx-proto (ONNX's onnx.proto compiled by protobufjs, MIT) with the protobufjs runtime it uses
// (protobufjs/minimal, BSD-3-Clause) into dist/vendor/onnx-proto.js. Why: onnx-proto depends on
// protobufjs 6, whose package ships ~19 MB of its CLI's dependencies; an app that installs mlops-kit
// should not carry them for the few hundred KB the encoder needs. src/infrastructure/models/onnx/onnx-proto.ts
// loads this file from dist, the package itself from the sources.
const esbuild = require('esbuild');

esbuild.buildSync({
  entryPoints: [require.resolve('onnx-proto')],
  outfile: 'dist/vendor/onnx-proto.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  legalComments: 'inline',
  banner: { js: '/*! onnx-proto (MIT, github.com/chaosmail/onnx-proto) and protobufjs/minimal (BSD-3-Clause, github.com/protobufjs/protobuf.js), bundled by mlops-kit */' },
  logLevel: 'warning',
});
