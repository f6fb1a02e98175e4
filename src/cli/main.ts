import { Command, CommanderError, Option } from 'commander';
import { kitVersion } from '../infrastructure/kit-version';
import { UsageError } from '../domain/errors';
import { demoCommand } from './commands/demo-command';
import { jobsCommand, schemaCommand } from './commands/info-commands';
import { runCommand } from './commands/run-command';
import type * as SubmitCommand from './commands/submit-command';
import type * as SyncCommand from './commands/sync-command';
import type * as WorkerCommand from './commands/worker-command';
import { ExitCode, exitCodeFor } from './exit-codes';
import { formatError } from './report-error';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Builds the `mlops-kit` command line. Each action resolves to an exit code. */
export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('mlops-kit')
    .description('Run MLOps jobs (training, promotion, experiments) with MLflow-compatible tracking.')
    .version(kitVersion())
    .exitOverride()
    .showSuggestionAfterError(true);

  program
    .command('run')
    .description('run the job described by one or more config files (merged in order)')
    .argument('<files...>', 'YAML or JSON config files')
    .option('-s, --set <key=value>', 'override a config value (repeatable; later wins)', collect, [])
    .addOption(new Option('-p, --profile <profile>', 'adapter profile').default('local'))
    .option('--env-file <path>', 'dotenv file to read (process env wins)', '.env')
    .option('--print-config', 'print the merged config with secrets masked, then exit')
    .option('--dry-run', 'validate config and wiring, start nothing')
    .option('-r, --require <module>', "load the app's own job kinds from a module (repeatable)", collect, [])
    .action(async (files: string[], options) => setExitCode(await runCommand(files, options)));

  program
    .command('demo')
    .description('train, promote and run a branch experiment on the embedded local store (no server)')
    .option('--store <dir>', 'local store directory', './mlruns')
    .action(async (options) => setExitCode(await demoCommand(options)));

  program
    .command('sync')
    .description('replay a local store (./mlruns, or the spill dir) into an MLflow server; safe to run twice')
    .argument('<local-store>', 'local store directory (MLflow file-store layout)')
    .option('--to <uri>', 'target MLflow server (default: MLFLOW_TRACKING_URI)')
    .option('--dry-run', 'list what would be sent; send nothing')
    .option('--env-file <path>', 'dotenv file to read (process env wins)', '.env')
    // required on use: sync needs the MLflow adapter (axios), which `run` on the local store never loads
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    .action(async (store: string, options) => setExitCode(await (require('./commands/sync-command') as typeof SyncCommand).syncCommand(store, options)));

  // worker and submit load bullmq (an optional peer dependency) only when used
  program
    .command('worker')
    .description('take jobs from a Redis queue (BullMQ) and run them on one runtime until SIGTERM')
    .argument('[files...]', 'config files for the service settings (tracking, logging); no job section needed')
    .requiredOption('-q, --queue <url>', 'Redis URL, e.g. redis://127.0.0.1:6379')
    .option('--name <queue>', 'queue name', 'mlops-kit')
    .option('-c, --concurrency <n>', 'jobs run at once', '1')
    .option('-s, --set <key=value>', 'override a config value (repeatable; later wins)', collect, [])
    .addOption(new Option('-p, --profile <profile>', 'adapter profile').default('local'))
    .option('--env-file <path>', 'dotenv file to read (process env wins)', '.env')
    .option('-r, --require <module>', "load the app's own job kinds from a module (repeatable)", collect, [])
    .option('--drain-ms <ms>', 'on SIGTERM, how long running jobs may finish before they are handed back', '30000')
    .option('--lock-ms <ms>', "a job's lock lifetime: how soon a dead worker's job is re-run", '30000')
    .option('--stalled-ms <ms>', 'how often to look for jobs of dead workers', '30000')
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    .action(async (files: string[], options) => setExitCode(await (require('./commands/worker-command') as typeof WorkerCommand).workerCommand(files, options)));

  program
    .command('submit')
    .description('validate a job config and enqueue it for a worker; --wait prints its result and exit code')
    .argument('<files...>', 'YAML or JSON config files (merged in order)')
    .requiredOption('-q, --queue <url>', 'Redis URL, e.g. redis://127.0.0.1:6379')
    .option('--name <queue>', 'queue name', 'mlops-kit')
    .option('-s, --set <key=value>', 'override a config value (repeatable; later wins)', collect, [])
    .option('--env-file <path>', 'dotenv file to read (process env wins)', '.env')
    .option('-r, --require <module>', "load the app's own job kinds from a module (repeatable)", collect, [])
    .option('--attempts <n>', 'tries before the job fails (retries back off exponentially)', '1')
    .option('--backoff-ms <ms>', 'first retry delay, doubled each retry', '1000')
    .option('--wait', "wait for the result; exit with the job's exit code")
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    .action(async (files: string[], options) => setExitCode(await (require('./commands/submit-command') as typeof SubmitCommand).submitCommand(files, options)));

  program
    .command('schema')
    .description('print the JSON Schema of the config')
    .option('-r, --require <module>', "include the app's own job kinds from a module (repeatable)", collect, [])
    .action((options) => setExitCode(schemaCommand(options)));
  program
    .command('jobs')
    .description('list the job KINDs')
    .option('-r, --require <module>', "include the app's own job kinds from a module (repeatable)", collect, [])
    .action((options) => setExitCode(jobsCommand(options)));
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = ExitCode.OK;
  const program = buildProgram((code) => (exitCode = code));
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and --version are successes; every other parse failure is a usage error
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        return ExitCode.OK;
      }
      return ExitCode.USAGE_OR_CONFIG;
    }
    process.stderr.write(`${formatError(error instanceof Error ? error : new UsageError(String(error)))}\n`);
    return exitCodeFor(error);
  }
}


/** Runs the CLI on process.argv and sets the exit code: what `dist/cli.js` calls. */
export function runFromProcess(): void {
  void main(process.argv).then((code) => {
    process.exitCode = code;
    // services close their sockets and timers on stop; this only guards against a stray handle
    setTimeout(() => process.exit(code), 2000).unref();
  });
}

if (require.main === module) runFromProcess();
