import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';

const backendDir = path.join(repoRoot(__dirname), 'examples/backend');

/** The checkout this file is in, found upwards (this file also runs bundled, from dist-bench/, by `npm run bench`). */
function repoRoot(from: string): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'examples/backend/main.ts'))) return dir;
  }
  throw new Error(`no examples/backend above ${from}`);
}

/** Compiles examples/backend/main.ts (type-stripping only) next to it, so `require('mlops-kit')` resolves to this package's dist. */
export function buildBackend(): string {
  const outfile = path.join(backendDir, '.build/main.js');
  buildSync({ entryPoints: [path.join(backendDir, 'main.ts')], bundle: true, platform: 'node', format: 'cjs', packages: 'external', outfile, logLevel: 'error' });
  return outfile;
}

export interface RunningBackend {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts the example backend as a real child process and resolves once it listens. */
export async function startBackend(main: string, env: Record<string, string>): Promise<RunningBackend> {
  const child = spawn(process.execPath, [main], {
    cwd: backendDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`backend exited ${code} before listening: ${stderr}`)));
  });
  return { child, url, stdout: () => stdout, stderr: () => stderr, exited };
}

/** POSTs JSON and returns status and parsed body. */
export async function post(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
