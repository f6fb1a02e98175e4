// Bundles the CLI into one CommonJS file. Why: resolving and compiling ~600 small modules (inversify's
// ESM build through require(esm), zod, yaml, winston) costs ~0.3 s on these machines; one bundle loads
// in about a third of that (see bench/startup). Heavy optional adapters stay external and load only
// when chosen: the AWS SDK (s3:// artifacts) and node-notifier (desktop alerts, ships helper binaries).
const esbuild = require('esbuild');

esbuild
  .build({
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    minifySyntax: true,
    minifyWhitespace: true,
    keepNames: true,
    external: ['@aws-sdk/*', 'node-notifier'],
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  })
  .catch(() => process.exit(1));
