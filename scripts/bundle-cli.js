// Bundles the CLI into one CommonJS file, dist/cli-bundle.js, and writes the launcher dist/cli.js.
// Why: resolving and compiling ~600 small modules (inversify's ESM build through require(esm), zod,
// yaml, winston) costs ~0.3 s on these machines; one bundle resolves nothing, and the launcher
// (scripts/cli-launcher.js) uses V8's code cache so repeated runs skip compiling it (see bench/startup.ts). Heavy
// optional adapters stay external and load only when chosen: the AWS SDK (s3:// artifacts) and
// node-notifier (desktop alerts, ships helper binaries), bullmq/ioredis (optional peers, only for the queue) and
// onnxruntime-node (optional peer with native binaries, only to score ONNX models).
const fs = require('node:fs');
const esbuild = require('esbuild');

esbuild
  .build({
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli-bundle.js',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // no source map: one would embed every bundled dependency's source (~5 MB) in the package
    sourcemap: false,
    // full minification shrinks what V8 must read, hash and load from its code cache on every run;
    // keepNames keeps class names (error names come from `new.target.name`)
    minify: true,
    keepNames: true,
    external: ['@aws-sdk/*', 'node-notifier', 'bullmq', 'ioredis', 'onnxruntime-node'],
    logLevel: 'warning',
  })
  .then(() => fs.copyFileSync('scripts/cli-launcher.js', 'dist/cli.js'))
  .then(() => fs.chmodSync('dist/cli.js', 0o755))
  .catch(() => process.exit(1));
