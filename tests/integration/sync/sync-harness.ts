import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { syncCommand, type SyncOptions } from '../../../src/cli/commands/sync-command';
import { exitCodeFor } from '../../../src/cli/exit-codes';
import { formatError } from '../../../src/cli/report-error';
import type { MlflowTestServer, RecordedRequest } from '../../support/mlflow-server';
import type { RunRecord } from '../../support/mlflow-server/store';
import { CapturingLogger } from '../../support/mlflow-server/client-settings';

/** A stream that keeps what was written; `isTTY` decides whether progress is drawn. */
export class CaptureStream {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export interface SyncResult {
  /** The exit code the CLI would give: 0, or `exitCodeFor(error)`. */
  code: number;
  stdout: string;
  stderr: string;
  error?: unknown;
  /** The error line the CLI would print (`mlops-kit: <code>: <message>`). */
  errorLine: string;
  logger: CapturingLogger;
}

/**
 * Retries fast enough for tests (the retry COUNT logic is production's); an empty base environment so
 * a developer's MLFLOW_* never leaks in.
 */
export const FAST_ENV = { MLFLOW_HTTP_REQUEST_MAX_RETRIES: '1', MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: '0.01', MLFLOW_HTTP_REQUEST_BACKOFF_JITTER: '0', MLFLOW_HTTP_REQUEST_TIMEOUT: '5' };

/** Runs `syncCommand` in-process the way the CLI would, in `cwd` (a temp dir by default, so no stray .env is read). */
export async function runSync(store: string, options: SyncOptions, extra: { env?: Record<string, string>; tty?: boolean; cwd?: string } = {}): Promise<SyncResult> {
  const stdout = new CaptureStream();
  const stderr = new CaptureStream(extra.tty ?? false);
  const logger = new CapturingLogger();
  const cwd = extra.cwd ?? (await mkdtemp(path.join(os.tmpdir(), 'sync-cwd-')));
  try {
    const code = await syncCommand(store, options, { stdout, stderr, env: { ...FAST_ENV, ...extra.env }, cwd, logger });
    return { code, stdout: stdout.text, stderr: stderr.text, errorLine: '', logger };
  } catch (error) {
    return { code: exitCodeFor(error), stdout: stdout.text, stderr: stderr.text, error, errorLine: formatError(error, {}), logger };
  } finally {
    if (!extra.cwd) await rm(cwd, { recursive: true, force: true });
  }
}

/** Requests that change server state (everything but reads; runs/search is a POST that only reads). */
export function writes(requests: readonly RecordedRequest[]): string[] {
  return requests
    .filter((r) => r.method !== 'GET' && !(r.method === 'POST' && (r.route === 'runs/search' || r.route === 'logged-models/search')))
    .map((r) => `${r.method} ${r.route}`);
}

/** The server's run created for a store run (found by the origin tag). */
export function serverRunFor(server: MlflowTestServer, originRunId: string): RunRecord {
  const runs = [...server.store.runs.values()].filter((r) => r.tags.get('mlops-kit.sync.origin_run_id') === originRunId);
  if (runs.length !== 1) throw new Error(`expected exactly one server run for ${originRunId}, found ${runs.length}`);
  return runs[0]!;
}

/** Metric values the server holds for one key, in arrival order. */
export function serverHistory(run: RunRecord, key: string): { key: string; value: number; timestamp: number; step: number }[] {
  return run.metrics.filter((m) => m.key === key).map((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp, step: m.step }));
}

/** Bytes of an artifact the server's proxy stored for a run (`mlflow-artifacts:/<exp>/<run>/artifacts`). */
export function readServerArtifact(server: MlflowTestServer, run: RunRecord, relative: string): Promise<Buffer> {
  const dir = run.artifactUri.replace(/^mlflow-artifacts:\/*/, '');
  return readFile(path.join(server.artifacts.rootDir, ...dir.split('/'), ...relative.split('/')));
}
