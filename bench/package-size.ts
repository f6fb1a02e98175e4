import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { printTable } from './table';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const MB = 1024 * 1024;

/**
 * What a user downloads and installs: the packed tarball (packed and unpacked size, file count), and
 * the node_modules of a fresh app that installs only mlops-kit (its optional peers not installed:
 * the local store and MLflow's artifact proxy need neither), then the same with the S3 SDK added.
 * Installs come from the local npm cache when it has the packages. Goal: ≤ 25 MB without S3.
 */
export function benchPackageSize(): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-size-'));
  try {
    const packed = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', dir], { encoding: 'utf8' }))[0];
    printTable('Package (npm pack)', [
      { what: 'tarball', 'packed MB': packed.size / MB, 'unpacked MB': packed.unpackedSize / MB, files: packed.entryCount },
    ]);
    const app = path.join(dir, 'app');
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'size-probe', private: true }));
    const install = (...specs: string[]) =>
      execFileSync(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs], { cwd: app, stdio: 'ignore' });
    install(path.join(dir, packed.filename));
    const rows = [{ install: 'mlops-kit (no optional peers)', 'node_modules MB': sizeOf(path.join(app, 'node_modules')) / MB, packages: countPackages(path.join(app, 'node_modules')) }];
    install('@aws-sdk/client-s3@^3');
    rows.push({ install: '+ @aws-sdk/client-s3 (s3:// artifacts)', 'node_modules MB': sizeOf(path.join(app, 'node_modules')) / MB, packages: countPackages(path.join(app, 'node_modules')) });
    printTable("A consumer's install (goal: ≤ 25 MB without S3)", rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Bytes of every file below `dir` (apparent size, like `du --apparent-size`). */
function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += sizeOf(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

function countPackages(nodeModules: string): number {
  let count = 0;
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    if (entry.name.startsWith('@')) count += readdirSync(path.join(nodeModules, entry.name)).length;
    else count += 1;
  }
  return count;
}
