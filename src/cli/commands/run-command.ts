import { stringify } from 'yaml';
import { UsageError } from '../../domain/errors';
import { loadConfig, maskSecrets } from '../../infrastructure/config';
import { createContainer, isProfile, PROFILES, resolveJob } from '../../infrastructure/container';
import { ExitCode } from '../exit-codes';
import { onTerminationSignal } from '../signals';

export interface RunOptions {
  set: string[];
  profile: string;
  printConfig?: boolean;
  dryRun?: boolean;
  envFile?: string;
}

/**
 * `mlops-kit run <files...>`: load and validate the config, compose the container, execute the job.
 * `--print-config` prints the merged config with secrets masked; `--dry-run` composes everything and
 * resolves the job without starting any service.
 */
export async function runCommand(files: string[], options: RunOptions): Promise<number> {
  if (!isProfile(options.profile)) {
    throw new UsageError(`--profile: unknown profile "${options.profile}". Use one of: ${PROFILES.join(', ')}.`);
  }
  const { config, env } = loadConfig({ files, sets: options.set, envFile: options.envFile });
  if (options.printConfig) {
    process.stdout.write(stringify(maskSecrets(config)));
    return ExitCode.OK;
  }
  const container = createContainer({ config, env, profile: options.profile });
  const job = resolveJob(container);
  if (options.dryRun) {
    process.stdout.write(`dry run: would execute ${job.kind} (profile ${options.profile}); nothing was started.\n`);
    return ExitCode.OK;
  }
  const termination = onTerminationSignal((signal) => job.interrupt(signal));
  try {
    const result = await job.execute();
    process.stdout.write(`${JSON.stringify({ kind: job.kind, ...result })}\n`);
    return ExitCode.OK;
  } catch (error) {
    // interrupted: the run's error is a consequence; report 130/143 once the services have stopped
    const interrupted = termination.pending();
    if (interrupted) return await interrupted;
    throw error;
  } finally {
    termination.remove();
  }
}
