import type { AppConfig } from '../config/schema';
import { MIN_SECRET_LENGTH, redactionSecretsFromEnv } from '../logging/redaction';

/**
 * Every secret value a container's logger and alerter must hide: the environment's (MLFLOW_TRACKING_PASSWORD,
 * AWS_SECRET_ACCESS_KEY, any *_TOKEN …) and those written literally in the config. One list for every
 * logger the composition root builds (winston, memory, the NestJS bridge), so none of them leaks what
 * another hides. Imports redaction.ts directly, not the logging index, so no winston is loaded for it.
 *
 * @example new MemoryLogger({ secrets: containerSecrets(config, env) });
 */
export function containerSecrets(config: AppConfig, env: Record<string, string | undefined>): string[] {
  return [...redactionSecretsFromEnv(env), ...configSecrets(config)];
}

/** Secret values written literally in config files, so the logger redacts them even without env vars. */
function configSecrets(config: AppConfig): string[] {
  const t = config.tracking;
  return [t.password, t.token, t.s3?.secretAccessKey, t.s3?.sessionToken].filter(
    (v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH,
  );
}
