import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from './cli';

/** A `mlops-kit worker` child process (the built CLI), with its stderr collected. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Everything it printed to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (or signal) once it ends. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `mlops-kit worker <args>` with a clean environment (PATH/HOME plus `env`) and resolves once it
 * says it is taking jobs. Rejects with its stderr when it exits first or is not ready within 20 s.
 *
 * @example const worker = await startWorkerProcess(['--queue', redis.url, 'svc.yaml'], { cwd: dir });
 */
export function startWorkerProcess(args: string[], options: { env?: Record<string, string>; cwd?: string; cli?: string } = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [options.cli ?? CLI, 'worker', ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker not ready within 20 s:\n${stderr}`));
    }, 20_000);
    const check = () => {
      if (!/Worker on queue/.test(stderr)) return;
      clearTimeout(timer);
      child.stderr!.off('data', check);
      resolve({ child, stderr: () => stderr, exited });
    };
    child.stderr!.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code ?? signal}) before it was ready:\n${stderr}`));
    });
  });
}

/** Kills a worker (SIGTERM by default) and waits for it to end. */
export async function stopWorkerProcess(worker: WorkerProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill(signal);
  return worker.exited;
}
