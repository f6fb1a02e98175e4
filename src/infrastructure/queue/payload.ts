import { z } from 'zod';
import type { JobRegistry } from '../../application/jobs/job-registry';
import { ConfigError, ErrorCodes } from '../../domain/errors';
import { validateJobSection } from '../config/job-schemas';
import { isSecretKey, maskUri } from '../config/mask';
import { formatKeyPath } from '../config/tree';

/**
 * What travels through Redis for one job: the validated `job:` section and nothing else. Service settings
 * and credentials never travel: each worker reads its own from its config files and environment.
 */
export interface JobPayload {
  /** Payload format version: a worker refuses a version it does not know instead of guessing. */
  v: 1;
  job: { KIND: string } & Record<string, unknown>;
}

const PayloadSchema = z.object({ v: z.literal(1), job: z.looseObject({ KIND: z.string() }) });

/**
 * Validates a `job:` section against the registry (the same schema `runtime.run` uses: a ConfigError naming
 * the key) and refuses one that carries a secret (a key named like password/token/key with a value, or a
 * URL with credentials), so nothing sensitive is ever written to Redis. Defaults are filled as
 * `runtime.run` fills them, MLOPS_MODEL_NAME from `env` included, so a job means the same on the queue.
 *
 * @example const payload = jobPayload({ KIND: 'ExampleJob' }, registry, 'enqueue()');
 */
export function jobPayload(job: unknown, jobs: JobRegistry, origin: string, env: Record<string, string | undefined> = process.env): JobPayload {
  const validated = validateJobSection(job, jobs, env, origin);
  assertNoSecrets(validated, ['job'], origin);
  return { v: 1, job: validated };
}

/** Reads a payload a worker took from the queue; a foreign or newer shape is a ConfigError (not retried). */
export function readJobPayload(data: unknown): JobPayload {
  const parsed = PayloadSchema.safeParse(data);
  if (!parsed.success) {
    throw new ConfigError(
      'queue payload: not an mlops-kit job payload (v1 with a job section); was it enqueued by another program or a newer mlops-kit?',
      ErrorCodes.CONFIG_INVALID,
    );
  }
  return parsed.data as JobPayload;
}

function assertNoSecrets(node: unknown, path: (string | number)[], origin: string): void {
  if (typeof node === 'string') {
    const key = path.at(-1);
    const secretKey = typeof key === 'string' && isSecretKey(key) && node !== '';
    if (secretKey || maskUri(node) !== node) {
      const keyPath = formatKeyPath(path);
      throw new ConfigError(
        `${origin}: ${keyPath}: looks like a secret, and job configs travel through Redis, which must hold none. ` +
          'Give workers the credential through their own environment or service config instead.',
        ErrorCodes.CONFIG_INVALID,
        { details: { keyPath } },
      );
    }
    return;
  }
  if (Array.isArray(node)) node.forEach((item, index) => assertNoSecrets(item, [...path, index], origin));
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) assertNoSecrets(value, [...path, key], origin);
  }
}
