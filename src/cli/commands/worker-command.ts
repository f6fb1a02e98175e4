import { BUILTIN_JOBS } from '../../application/jobs/builtin-jobs';
import { JobRegistry } from '../../application/jobs/job-registry';
import { UsageError } from '../../domain/errors';
import { loadConfig } from '../../infrastructure/config';
import { createContainer, createRuntime, isProfile, PROFILES } from '../../infrastructure/container';
import { startQueueWorker } from '../../infrastructure/queue';
import { loadJobModules } from '../job-modules';
import { onTerminationSignal } from '../signals';
import { positiveInt } from './queue-options';

export interface WorkerOptions {
  queue: string;
  name?: string;
  concurrency?: string;
  set: string[];
  profile: string;
  envFile?: string;
  require?: string[];
  lockMs?: string;
  stalledMs?: string;
  drainMs?: string;
}

/**
 * `mlops-kit worker --queue redis://… [files…]`: one container and one started runtime for the whole
 * process (its service settings from the files, credentials from its own environment), taking jobs from
 * the queue `--concurrency` at a time until SIGTERM/SIGINT. Then it stops taking jobs, lets running ones
 * finish for `--drain-ms`, interrupts and hands back the rest, closes the runtime (flushing) and exits
 * 143/130. A worker killed outright is covered by the queue: its jobs are re-run after their lock expires.
 */
export async function workerCommand(files: string[], options: WorkerOptions): Promise<number> {
  if (!isProfile(options.profile)) {
    throw new UsageError(`--profile: unknown profile "${options.profile}". Use one of: ${PROFILES.join(', ')}.`);
  }
  const concurrency = positiveInt(options.concurrency, '--concurrency', 1);
  const drainMs = positiveInt(options.drainMs, '--drain-ms', 30_000);
  const appJobs = loadJobModules(options.require ?? []);
  const jobs = new JobRegistry([...BUILTIN_JOBS, ...appJobs]);
  const { config, env } = loadConfig({ files, sets: options.set, envFile: options.envFile, jobs, requireJob: false });
  const container = createContainer({ config, env, profile: options.profile, jobs: appJobs });
  const runtime = createRuntime(container);
  let stop: (() => Promise<void>) | undefined;
  // a signal during start-up closes whatever has started; the watch exits the process once that is done
  const termination = onTerminationSignal(() => (stop ? stop() : runtime.close({ deadlineMs: 0 })));
  try {
    const worker = await startQueueWorker({
      container,
      url: options.queue,
      concurrency,
      ...(options.name !== undefined && { name: options.name }),
      ...(options.lockMs !== undefined && { lockDurationMs: positiveInt(options.lockMs, '--lock-ms', 30_000) }),
      ...(options.stalledMs !== undefined && { stalledIntervalMs: positiveInt(options.stalledMs, '--stalled-ms', 30_000) }),
    });
    stop = async () => {
      await worker.close({ drainMs });
      await runtime.close({ deadlineMs: 0 });
    };
    // runs until a signal: the termination watch closes everything and exits with 143/130
    return await new Promise<number>(() => undefined);
  } catch (error) {
    const interrupted = termination.pending();
    if (interrupted) return await interrupted;
    await runtime.close({ deadlineMs: 0 }).catch(() => undefined);
    termination.remove();
    throw error;
  }
}
