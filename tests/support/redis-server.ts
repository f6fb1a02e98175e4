import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A real redis-server child process on a loopback port, with no persistence. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Stops the server (SIGTERM, nothing saved) and waits for it to exit. */
  stop(): Promise<void>;
  /**
   * Stops and starts it again on the same port. `keepData` (default true) saves a snapshot on the way down
   * and loads it on the way up, as a production Redis with persistence does; `false` comes back empty.
   */
  restart(options?: { downMs?: number; keepData?: boolean }): Promise<void>;
}

/**
 * Starts Debian's `redis-server` (installed by `npm test`'s pretest when missing, scripts/ensure-test-services.js) on a free 127.0.0.1 port, in a temp
 * dir, with `--save ''` and `--appendonly no`, so nothing outlives the test. Resolves once it accepts
 * connections.
 *
 * @example
 * const redis = await startRedisServer();
 * const queue = await connectJobQueue({ url: redis.url });
 * await redis.stop();
 */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined = await spawnRedis(port, dir);

  const stop = async (save = false): Promise<void> => {
    const running = child;
    child = undefined;
    if (running && running.exitCode === null && running.signalCode === null) {
      const exited = new Promise((resolve) => running.once('exit', resolve));
      // SHUTDOWN SAVE writes dump.rdb in the temp dir even with --save ''; SIGTERM saves nothing
      if (save) spawn('redis-cli', ['-p', String(port), 'SHUTDOWN', 'SAVE'], { stdio: 'ignore' });
      else running.kill('SIGTERM');
      await exited;
    }
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
    async restart(options = {}) {
      const keepData = options.keepData ?? true;
      if (!keepData) await rm(path.join(dir, 'dump.rdb'), { force: true });
      await stop(keepData);
      if (options.downMs) await new Promise((resolve) => setTimeout(resolve, options.downMs));
      child = await spawnRedis(port, dir);
    },
  };
}

function spawnRedis(port: number, dir: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'notice'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const timer = setTimeout(() => fail(new Error(`redis-server did not start within 10 s:\n${output}`)), 10_000);
    function fail(error: Error): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    }
    child.on('error', (error) => fail(new Error(`cannot run redis-server (${error.message}); install it: apt-get install -y redis-server`)));
    child.on('exit', (code) => {
      if (!output.includes('Ready to accept connections')) fail(new Error(`redis-server exited with ${code}:\n${output}`));
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve(child);
      }
    });
    child.stderr!.resume();
  });
}
