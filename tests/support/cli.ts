import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const CLI = path.resolve(__dirname, '../../dist/cli.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI (`dist/cli.js`, built by `npm test`'s pretest) as a real child process with a clean
 * environment: only PATH/HOME plus what the test passes, so a developer's MLFLOW_* never leaks in.
 */
export function runCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; onSpawn?: (child: ChildProcess) => void } = {},
): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result = collect(child);
  options.onSpawn?.(child);
  return result;
}

/**
 * The CLI started the way a user's shell starts it (through its `#!` line, so Node's own option parsing
 * runs first), not as `node cli.js`; the same clean environment as `runCli`, with `node` on PATH.
 */
export function runExecutable(args: string[], options: { env?: Record<string, string>; cwd: string }): Promise<CliResult> {
  const child = spawn(CLI, args, {
    cwd: options.cwd,
    env: { PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collect(child);
}

/** Everything a child process printed, and how it ended. */
function collect(child: ChildProcess): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
