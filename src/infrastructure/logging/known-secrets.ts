import { MIN_SECRET_LENGTH } from './redaction';

/**
 * The secret values this process has seen while loading configuration: from `.env`, `--env-file`, the
 * process environment and secret-keyed config values. The CLI's last line (`formatError`) and
 * `--print-config` mask them, so a password that lives only in `.env` or in a config file is hidden
 * there as well as in the logs (whose loggers receive the same values from the container).
 *
 * A process-wide set on purpose: the error that reaches the CLI's last line may come from anywhere,
 * long after the loader that knew the secret returned. It only grows (an app that reloads config keeps
 * masking old passwords too, which is safe).
 *
 * @example
 * rememberSecrets(['s3cr3t-pw']);
 * new Redactor(rememberedSecrets()).text('pw=s3cr3t-pw'); // 'pw=***'
 */
const remembered = new Set<string>();

export function rememberSecrets(values: Iterable<string | undefined>): void {
  for (const value of values) if (typeof value === 'string' && value.trim().length >= MIN_SECRET_LENGTH) remembered.add(value);
}

/** Every secret remembered so far. */
export function rememberedSecrets(): string[] {
  return [...remembered];
}
