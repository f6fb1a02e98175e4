import type { z } from 'zod';
import { ConfigError } from '../../domain/errors';
import { Redactor } from '../logging/redaction';
import { toProblems } from './issues';
import { secretValues } from './mask';
import type { KeyPath } from './tree';

/**
 * Names the file (or `--set`) a key path came from; "config" when the object was built in code; an
 * empty string for none (a job config handed to `runtime.run`: the message starts at the key path, since
 * it may reach an HTTP client that knows nothing of the library's internals).
 *
 * @example parseAppConfig(raw, { originOf: (path) => (path[0] === 'job' ? 'job.yaml' : 'service.yaml') });
 */
export type OriginOf = (path: KeyPath) => string;

/**
 * Parses `raw` with `schema` and returns the result with defaults applied. On failure throws one
 * ConfigError whose one-line message is `<file>: <key.path>: <problem>. <fix>` for the first problem
 * and counts the others; `details` holds `file`, `keyPath` and every problem in `issues`. Values under
 * secret keys of `raw` are masked wherever a problem would echo them.
 *
 * @example
 * const logging = validateAgainst(LoggingConfigSchema, { level: 'debug' }); // { level: 'debug', sink: 'stderr', format: 'pretty' }
 */
export function validateAgainst<S extends z.ZodType>(schema: S, raw: unknown, originOf: OriginOf = () => 'config'): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  // a password that also sits in a wrong-typed field would be echoed by that field's problem
  const redactor = new Redactor(secretValues(raw));
  const problems = toProblems(result.error.issues, raw, schema, originOf).map((p) => ({ ...p, message: redactor.text(p.message) }));
  const [first, ...rest] = problems;
  if (first === undefined) throw new ConfigError(`config: invalid configuration: ${result.error.message}`);
  const where = (p: typeof first) => (p.file === first.file ? p.keyPath : `${p.file}: ${p.keyPath}`);
  const more = rest.length === 0 ? '' : ` (+${rest.length} more: ${rest.map(where).join(', ')})`;
  throw new ConfigError(`${first.message}${more}`, first.code, {
    details: { file: first.file, keyPath: first.keyPath, issues: problems.map(({ file, keyPath, message }) => ({ file, keyPath, message })) },
  });
}
