import path from 'node:path';
import { UsageError } from '../../domain/errors';
import type { ILogger } from '../../domain/ports/logger';
import { loadEnv, maskUri } from '../../infrastructure/config';
import { WinstonLogger, redactionSecretsFromEnv } from '../../infrastructure/logging';
import { LocalStoreReader, StoreReplayer, SyncLock, formatSummary, progressFor, type ProgressStream, type SyncReport } from '../../infrastructure/sync';
import { MlflowModelRegistry, MlflowTracker, resolveMlflowSettings, settingsSecrets } from '../../infrastructure/tracking/mlflow';
import { ExitCode } from '../exit-codes';
import { onTerminationSignal } from '../signals';

export interface SyncOptions {
  /** Target server; default MLFLOW_TRACKING_URI from the environment or the dotenv file. */
  to?: string;
  dryRun?: boolean;
  envFile?: string;
}

/** Where the command reads and writes; tests pass their own. */
export interface SyncIo {
  stdout: ProgressStream;
  /** Progress goes here, and only when it is a terminal. */
  stderr: ProgressStream;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Receives the adapters' warnings (retries, truncation); default a warn-level logger on stderr. */
  logger?: ILogger;
}

const PROCESS_IO: SyncIo = { stdout: process.stdout, stderr: process.stderr };

/**
 * `mlops-kit sync <local-store> [--to <uri>] [--dry-run]`: replays a local store into an MLflow server
 * (see StoreReplayer for what is sent and how a second sync sends nothing twice).
 *
 * Order of checks, so that bad input never leaves half a sync behind:
 * 1. the target URI: none, or not http(s):// → UsageError (exit 2);
 * 2. the store: missing path → UsageError naming it (exit 2); a malformed file → StoreCorruptError naming
 *    it (exit 1). All metadata is read and validated here, before any request;
 * 3. the store's sync lock (sync-lock.ts): a second sync of the same store while one runs fails here
 *    with one line naming the first (ConflictError, exit 1); a lock left by a dead process is taken over;
 * 4. the server, with read-only requests (`experiments/get-by-name`, `registered-models/search`): unreachable
 *    after the retry policy → TrackerUnavailableError, refused credentials → UnauthorizedError (exit 1);
 * 5. only then is anything written. `--dry-run` takes no lock, stops after reading the target and writes nothing.
 *
 * Prints the summary on stdout (after a failure, what was sent so far); progress on stderr only when it
 * is a terminal. Credentials are taken from the environment (MLFLOW_TRACKING_USERNAME/PASSWORD/TOKEN, or
 * `https://user:pass@host`) and never printed: the target is shown without them.
 *
 * @example
 * const code = await syncCommand('./mlruns', { to: 'http://127.0.0.1:5000', dryRun: true });
 */
export async function syncCommand(store: string, options: SyncOptions = {}, io: SyncIo = PROCESS_IO): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const { env } = loadEnv({ envFile: options.envFile, env: io.env ?? process.env, cwd });
  const target = targetUri(options.to, env);
  const reader = new LocalStoreReader(path.resolve(cwd, store));
  const index = await reader.open();
  const settings = resolveMlflowSettings({ uri: target, experimentName: index.experiments[0]?.name ?? 'Default' }, env);
  const ownsLogger = io.logger === undefined;
  const logger = io.logger ?? new WinstonLogger({ level: 'warn', sink: 'stderr', secrets: [...settingsSecrets(settings), ...redactionSecretsFromEnv(env)] });
  if (ownsLogger) await logger.start();
  // runs still RUNNING in the store stay RUNNING on the server; the next sync completes them
  const tracker = new MlflowTracker(settings, { logger: logger.child('tracker'), killOpenRunsOnStop: false });
  const registry = new MlflowModelRegistry(settings, { logger: logger.child('registry') });
  const replayer = new StoreReplayer(reader, tracker, registry, { dryRun: options.dryRun, progress: progressFor(io.stderr) });
  // one writer per store: a second sync of it stops here with one line naming the first (sync-lock.ts)
  const lock = options.dryRun ? undefined : await SyncLock.acquire(reader.root).catch(async (error: unknown) => {
    if (ownsLogger) await logger.stop();
    throw error;
  });
  const stopAll = async (): Promise<void> => {
    await settle([tracker.stop(), registry.stop()]).finally(() => lock?.release());
  };
  const termination = onTerminationSignal(stopAll);
  let report: SyncReport;
  try {
    await checkTarget(tracker, registry, index.experiments[0]?.name ?? 'Default');
    if (!options.dryRun) await tracker.start();
    report = await replayer.replay(index);
    // stopping flushes: its failure is the sync's failure, reported like one
    await tracker.stop();
  } catch (error) {
    await stopAll().catch(() => undefined);
    if (replayer.report().actions.length > 0) {
      const partial = formatSummary(replayer.report(), reader.root, settings.trackingUri);
      io.stdout.write(maskUri(`sync stopped by an error; sent so far (run the same command again to resume):\n${partial}`));
    }
    throw error;
  } finally {
    termination.remove();
    await lock?.release();
    await registry.stop();
    if (ownsLogger) await logger.stop();
  }
  // sources and paths come from the store: a URI in them could carry credentials, so mask them too
  if (report.dryRun) io.stdout.write(maskUri(report.actions.map((line) => `would ${line}\n`).join('')));
  io.stdout.write(maskUri(formatSummary(report, reader.root, settings.trackingUri)));
  return ExitCode.OK;
}

/** `--to`, else MLFLOW_TRACKING_URI; it must name an MLflow server, the one thing a store can be replayed into. */
function targetUri(to: string | undefined, env: Record<string, string | undefined>): string {
  const given = to?.trim() || undefined;
  const value = given ?? env.MLFLOW_TRACKING_URI?.trim();
  const source = given ? '--to' : 'MLFLOW_TRACKING_URI';
  if (!value) {
    throw new UsageError('sync: no target server. Pass --to http(s)://<mlflow-server>, or set MLFLOW_TRACKING_URI (in the environment or .env).');
  }
  if (!/^https?:\/\/[^/]/i.test(value)) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1];
    const what = scheme && !/^[a-z]:[\\/]/i.test(value) ? `uses the unsupported scheme "${scheme}:"` : 'is a local path';
    throw new UsageError(
      `sync: ${source} ${maskUri(value)} ${what}; sync replays a local store into an MLflow server, so the target must be http:// or https://.`,
      { details: { source } },
    );
  }
  return value;
}

/**
 * Read-only requests that fail for a wrong URI, a dead server or refused credentials, so the sync stops
 * before its first write. The registry's search also fails for a server that is not MLflow at all (an
 * experiment lookup alone would read its 404 as "no such experiment").
 */
async function checkTarget(tracker: MlflowTracker, registry: MlflowModelRegistry, experimentName: string): Promise<void> {
  await registry.start();
  await tracker.getExperimentByName(experimentName);
}

/** Waits for every promise; rethrows the first failure after all have settled. */
async function settle(promises: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
