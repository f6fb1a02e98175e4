import { configJsonSchema } from '../../infrastructure/config';
import { JOB_CATALOG } from '../../infrastructure/container';
import { ExitCode } from '../exit-codes';

/** `mlops-kit schema`: the JSON Schema of the config file, for editors and CI validation. */
export function schemaCommand(): number {
  process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  return ExitCode.OK;
}

/** `mlops-kit jobs`: the job KINDs a config can name, one per line with what each does. */
export function jobsCommand(): number {
  const width = Math.max(...JOB_CATALOG.map((e) => e.kind.length));
  for (const entry of JOB_CATALOG) process.stdout.write(`${entry.kind.padEnd(width)}  ${entry.description}\n`);
  return ExitCode.OK;
}
