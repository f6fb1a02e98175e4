import { stringify } from 'yaml';
import { UsageError } from '../../domain/errors';
import { TYPES } from '../../domain/tokens';
import { loadConfig, maskSecrets } from '../../infrastructure/config';
import { createContainer, createRuntime, isProfile, PROFILES } from '../../infrastructure/container';
import { ExitCode } from '../exit-codes';
import { loadJobModules } from '../job-modules';
import { onTerminationSignal } from '../signals';
import { BUILTIN_JOBS } from '../../application/jobs/builtin-jobs';
import { JobRegistry } from '../../application/jobs/job-registry';
import { portsOf } from '../../application/jobs/job-definition';

export interface RunOptions {
  set: string[];
  profile: string;
  printConfig?: boolean;
  dryRun?: boolean;
  envFile?: string;
  /** Modules with the app's own job definitions. */
  require?: string[];
}

/**
 * `mlops-kit run <files...>`: the same runtime an app embeds, around one job — load and validate the
 * config, compose the container, start the runtime, run the job, close the runtime (flushing). On
 * SIGINT/SIGTERM the runtime closes at once: the job is interrupted and its runs end KILLED.
 * `--print-config` prints the merged config with secrets masked; `--dry-run` composes everything and
 * builds the job's adapters without starting any.
 */
export async function runCommand(files: string[], options: RunOptions): Promise<number> {
  if (!isProfile(options.profile)) {
    throw new UsageError(`--profile: unknown profile "${options.profile}". Use one of: ${PROFILES.join(', ')}.`);
  }
  const appJobs = loadJobModules(options.require ?? []);
  const jobs = new JobRegistry([...BUILTIN_JOBS, ...appJobs]);
  const { config, env } = loadConfig({ files, sets: options.set, envFile: options.envFile, jobs });
  if (options.printConfig) {
    process.stdout.write(stringify(maskSecrets(config)));
    return ExitCode.OK;
  }
  const container = createContainer({ config, env, profile: options.profile, jobs: appJobs, source: files.at(-1) });
  const kind = config.job.KIND;
  if (options.dryRun) {
    const uses = portsOf(jobs.find(kind)!, config.job);
    // building the adapters checks the wiring (URIs, credentials, optional packages) without any I/O
    if (uses.includes('tracker') || uses.includes('models')) container.get(TYPES.Tracker);
    if (uses.includes('registry') || uses.includes('models')) container.get(TYPES.ModelRegistry);
    if (uses.includes('models')) container.get(TYPES.ModelLoader);
    process.stdout.write(`dry run: would execute ${kind} (profile ${options.profile}); nothing was started.\n`);
    return ExitCode.OK;
  }
  const runtime = createRuntime(container);
  const termination = onTerminationSignal(() => runtime.close({ deadlineMs: 0 }));
  try {
    await runtime.start();
    const result = await runtime.run(config.job as Parameters<typeof runtime.run>[0]);
    // closing flushes: a value that cannot be delivered fails the job, so close before reporting success
    await runtime.close();
    process.stdout.write(`${JSON.stringify({ kind, ...result })}\n`);
    return ExitCode.OK;
  } catch (error) {
    // interrupted: the job's error is a consequence; report 130/143 once the services have stopped
    const interrupted = termination.pending();
    if (interrupted) return await interrupted;
    await runtime.close().catch(() => undefined);
    throw error;
  } finally {
    termination.remove();
  }
}
