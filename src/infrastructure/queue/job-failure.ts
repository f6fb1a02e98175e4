import { ConfigError, ErrorCodes, MlopsError, UsageError, isUsageOrConfigError, type ErrorCode } from '../../domain/errors';
import { rememberedSecrets } from '../logging/known-secrets';
import { Redactor, redactionSecretsFromEnv } from '../logging/redaction';

/**
 * How a job's error crosses Redis: BullMQ keeps only a message (`failedReason`), so the worker writes
 * `<CODE>: <message>` and the submitter rebuilds an error of the same family (ConfigError for a config
 * code, so exit code 2 survives the trip; MlopsError with the code otherwise). The message is redacted
 * with the worker's own secrets (its environment, its .env and config) before it is stored: Redis and the
 * submitter's terminal never see a credential only the worker holds.
 *
 * @example failureReason(new ConfigError('job.l2: …')); // 'CONFIG_INVALID: job.l2: …'
 */
export function failureReason(error: unknown, env: Record<string, string | undefined> = process.env): string {
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const redactor = new Redactor([...redactionSecretsFromEnv(env), ...rememberedSecrets()]);
  return `${code ?? 'UNEXPECTED'}: ${redactor.text(message)}`;
}

/** True for errors a retry cannot fix: a bad config or usage. The worker fails them without retrying. */
export function isPermanent(error: unknown): boolean {
  return isUsageOrConfigError(error);
}

/**
 * The stable code of an mlops-kit error. Read by shape, not `instanceof`: an app's job module loads
 * mlops-kit's public entry while the CLI runs its own bundle, so the same error class exists twice.
 */
function codeOf(error: unknown): string | undefined {
  if (error instanceof MlopsError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z][A-Z_]+$/.test(code) ? code : undefined;
}

/**
 * The error a queue job failed with, rebuilt on the submitter's side from BullMQ's `failedReason`.
 *
 * @example try { await handle.result(); } catch (e) { if (e instanceof ConfigError) … }
 */
export function errorFromReason(reason: string | undefined, queueJobId: string): MlopsError {
  const match = /^([A-Z][A-Z_]+): ([\s\S]*)$/.exec(reason ?? '');
  const code = match?.[1];
  const message = match?.[2] ?? reason ?? 'the job failed without a reason';
  const details = { details: { queueJobId } };
  if (code === ErrorCodes.USAGE) return new UsageError(message, details);
  if (code?.startsWith('CONFIG_') || code === ErrorCodes.ADAPTER_NOT_AVAILABLE) return new ConfigError(message, code as ErrorCode, details);
  const known = code !== undefined && (Object.values(ErrorCodes) as string[]).includes(code);
  // an unknown code (UNEXPECTED, an app's own) stays in the message; a reason without one (BullMQ's own) is kept as is
  return new MlopsError(known ? (code as ErrorCode) : ErrorCodes.JOB_FAILED, known || code === undefined ? message : `${code}: ${message}`, details);
}
