import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '../..');
export const FIXTURES = path.join(__dirname, 'fixtures');

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; never rejects on a non-zero exit (tests assert on `code`). */
export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const versionOf = (pkg: string): string => JSON.parse(readFileSync(path.join(REPO, 'node_modules', pkg, 'package.json'), 'utf8')).version;

/**
 * A fresh app directory with mlops-kit installed from `npm pack`'s tarball, as a user would get it:
 * no optional peers (@aws-sdk/client-s3, node-notifier), plus the tools the fixtures compile and test
 * with (and a Nest 11 app runs with), pinned to the versions this repo uses so the install comes from the local npm cache. Each
 * fixture is a sub-directory, so they share one node_modules.
 */
export async function createConsumerApp(): Promise<{ dir: string; tarball: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlops-consumers-'));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const tarball = await packInto(dir);
  const dependencies = {
    'mlops-kit': `file:${tarball}`,
    typescript: versionOf('typescript'),
    // the node10-resolution app: TypeScript 5.x, where `module: commonjs` still defaults to node10
    'typescript-5': 'npm:typescript@5.9.3',
    '@types/node': versionOf('@types/node'),
    jest: versionOf('jest'),
    'ts-jest': versionOf('ts-jest'),
    '@types/jest': versionOf('@types/jest'),
    // the Nest 11 app (nest-cjs): what `nest new` installs and its tests need, no more (no Terminus, no CLI)
    '@nestjs/common': versionOf('@nestjs/common'),
    '@nestjs/core': versionOf('@nestjs/core'),
    '@nestjs/platform-express': versionOf('@nestjs/platform-express'),
    '@nestjs/testing': versionOf('@nestjs/testing'),
    rxjs: versionOf('rxjs'),
    'reflect-metadata': versionOf('reflect-metadata'),
    // an app that defines its own job kinds writes zod schemas (nest-cjs's HoldJob)
    zod: versionOf('zod'),
  };
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer-app', private: true, dependencies }, null, 2));
  const installed = await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
  if (installed.code !== 0) throw new Error(`npm install failed: ${installed.stderr}`);
  for (const fixture of readdirSync(FIXTURES)) {
    if (fixture === 'shared' || fixture === PNPM_FIXTURE) continue;
    cpSync(path.join(FIXTURES, fixture), path.join(dir, fixture), { recursive: true });
    if (fixture.startsWith('ts-') && fixture !== 'ts-jest') cpSync(path.join(FIXTURES, 'shared'), path.join(dir, fixture, 'src'), { recursive: true });
  }
  return { dir, tarball };
}

/** `npm pack`s the built package into `dir` and returns the tarball's path. */
export async function packInto(dir: string): Promise<string> {
  if (!existsSync(path.join(REPO, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) first');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const packed = await run(npm, ['pack', '--pack-destination', dir, '--silent'], { cwd: REPO });
  if (packed.code !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  return path.join(dir, packed.stdout.trim().split('\n').pop()!);
}

/** The fixture installed by pnpm in an app of its own (tests/consumers/pnpm-consumer.test.ts), not by npm here. */
export const PNPM_FIXTURE = 'pnpm-strict';

/**
 * A fresh app in its own directory with mlops-kit's tarball installed by pnpm (this repo's dev
 * dependency), whose node_modules is strict: only the app's own dependencies are at its top, so nothing
 * mlops-kit depends on (zod) is importable by the app unless mlops-kit re-exports it. The pnpm store is
 * shared across runs in the temp directory (content-addressed, safe to share).
 */
export async function createPnpmApp(fixture: string): Promise<Result & { dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlops-pnpm-'));
  const tarball = await packInto(dir);
  const dependencies = { 'mlops-kit': `file:${tarball}`, typescript: versionOf('typescript'), '@types/node': versionOf('@types/node') };
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'pnpm-consumer-app', private: true, dependencies }, null, 2));
  cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
  const pnpm = path.join(REPO, 'node_modules/pnpm/bin/pnpm.cjs');
  const store = path.join(os.tmpdir(), 'mlops-kit-pnpm-store');
  // optional peers stay out (as for an app that never installs them); onnxruntime-node's CUDA download is skipped as in our .npmrc
  const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL_CUDA: 'skip', npm_config_onnxruntime_node_install: 'skip' };
  const installed = await run(process.execPath, [pnpm, 'install', '--store-dir', store, '--config.auto-install-peers=false', '--reporter=silent'], { cwd: dir, env });
  return { ...installed, dir };
}

/** Runs async tasks at most `limit` at a time (tsc with skipLibCheck false is CPU-bound). */
export async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
