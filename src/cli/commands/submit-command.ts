import { BUILTIN_JOBS } from '../../application/jobs/builtin-jobs';
import { JobRegistry } from '../../application/jobs/job-registry';
import { loadConfig } from '../../infrastructure/config';
import { connectJobQueue, jobPayload } from '../../infrastructure/queue';
import { ExitCode } from '../exit-codes';
import { loadJobModules } from '../job-modules';
import { positiveInt } from './queue-options';

export interface SubmitOptions {
  queue: string;
  name?: string;
  set: string[];
  envFile?: string;
  require?: string[];
  wait?: boolean;
  attempts?: string;
  backoffMs?: string;
}

/**
 * `mlops-kit submit <files…> --queue redis://… [--wait]`: loads and validates the config exactly as `run`
 * does (a bad config is the usual one-line error, exit 2, and nothing is enqueued), then enqueues only its
 * `job:` section. Prints `{"id", "queue", "kind"}`; with `--wait`, waits for a worker to finish it and
 * prints the result like `run` (exit 0), or the job's error (exit 1; 2 for a config error the worker found).
 */
export async function submitCommand(files: string[], options: SubmitOptions): Promise<number> {
  const appJobs = loadJobModules(options.require ?? []);
  const jobs = new JobRegistry([...BUILTIN_JOBS, ...appJobs]);
  const { config } = loadConfig({ files, sets: options.set, envFile: options.envFile, jobs });
  const payload = jobPayload(config.job, jobs, files.join(' + '));
  const attempts = positiveInt(options.attempts, '--attempts', 1);
  const backoffMs = positiveInt(options.backoffMs, '--backoff-ms', 1000);
  const queue = connectJobQueue({ url: options.queue, ...(options.name !== undefined && { name: options.name }), jobs: appJobs });
  try {
    const { id } = await queue.add(payload, { attempts, backoffMs });
    const kind = payload.job.KIND;
    if (!options.wait) {
      process.stdout.write(`${JSON.stringify({ id, queue: queue.name, kind })}\n`);
      return ExitCode.OK;
    }
    const result = await queue.result(id);
    process.stdout.write(`${JSON.stringify({ kind, ...result })}\n`);
    return ExitCode.OK;
  } finally {
    await queue.close();
  }
}
