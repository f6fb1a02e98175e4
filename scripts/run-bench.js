// `npm run bench`: bundles bench/main.ts (which imports the loopback test servers from tests/support)
// with esbuild and runs it, passing CLI arguments through (e.g. `npm run bench -- --uri http://mlflow:5000`).
const { execFileSync } = require('node:child_process');
const esbuild = require('esbuild');

esbuild.buildSync({
  entryPoints: ['bench/main.ts'],
  outfile: 'dist-bench/main.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['@aws-sdk/*', 'node-notifier', 's3rver', 'bullmq', 'ioredis', 'onnxruntime-node', 'esbuild'],
  logLevel: 'warning',
});
try {
  execFileSync(process.execPath, ['--expose-gc', 'dist-bench/main.js', ...process.argv.slice(2)], { stdio: 'inherit' });
} catch (error) {
  process.exit(error.status ?? 1);
}
