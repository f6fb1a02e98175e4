import { BUILTIN_JOBS } from '../../application/jobs/builtin-jobs';
import { JobRegistry } from '../../application/jobs/job-registry';
import type { AnyJobDefinition } from '../../application/jobs/job-definition';
import { configJsonSchema } from '../../infrastructure/config';
import { ExitCode } from '../exit-codes';
import { loadJobModules } from '../job-modules';

export interface InfoOptions {
  /** Modules with the app's own job definitions (`--require`). */
  require?: string[];
}

function registryFor(options: InfoOptions): JobRegistry {
  return new JobRegistry<AnyJobDefinition>([...BUILTIN_JOBS, ...loadJobModules(options.require ?? [])]);
}

/** `mlops-kit schema`: the JSON Schema of the config file (with the app's kinds), for editors and CI validation. */
export function schemaCommand(options: InfoOptions = {}): number {
  process.stdout.write(`${JSON.stringify(configJsonSchema(registryFor(options)), null, 2)}\n`);
  return ExitCode.OK;
}

/** `mlops-kit jobs`: the job KINDs a config can name (with the app's kinds), one per line with what each does. */
export function jobsCommand(options: InfoOptions = {}): number {
  const { definitions } = registryFor(options);
  const width = Math.max(...definitions.map((d) => d.kind.length));
  for (const d of definitions) process.stdout.write(`${d.kind.padEnd(width)}  ${d.description}\n`);
  return ExitCode.OK;
}
