import { isUsageOrConfigError } from '../domain/errors';

/** Process exit codes: stable, documented in the README. */
export const ExitCode = {
  OK: 0,
  JOB_FAILED: 1,
  USAGE_OR_CONFIG: 2,
  SIGINT: 130,
  SIGTERM: 143,
} as const;

export function exitCodeFor(error: unknown): number {
  return isUsageOrConfigError(error) ? ExitCode.USAGE_OR_CONFIG : ExitCode.JOB_FAILED;
}
