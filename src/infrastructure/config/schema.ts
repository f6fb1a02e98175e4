import { z } from 'zod';
import { ConfigError, ErrorCodes } from '../../domain/errors';
import type { EnvMap } from './env';
import { booleanField, numberField, optionalText, textWithDefault } from '../../application/jobs/schemas/fields';
import type { JobRegistry } from '../../application/jobs/job-registry';
import { domainRule } from '../../application/jobs/schemas/rules';
import { assertValidExperimentName } from '../../domain/model/naming-rules';
import { applyJobEnvDefaults, BUILTIN_JOB_REGISTRY, type JobSection } from './job-schemas';
import { isMapping } from './tree';
import { validateAgainst, type OriginOf } from './validate';

/**
 * The configuration the container consumes. Every object is strict (a typo is an error, not a silently
 * ignored key); every section has defaults so `job:` alone is a valid config. Fields that the
 * environment can fill (MLFLOW_*, AWS_*) stay optional here: the container fills what config leaves unset.
 */

export const LoggingConfigSchema = z.strictObject({
  level: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly']).default('info'),
  sink: textWithDefault('stderr', 'stderr, stdout, or a file path.'),
  format: z.enum(['pretty', 'json']).default('pretty'),
});

export const S3ConfigSchema = z.strictObject({
  endpointUrl: optionalText('S3-compatible endpoint (env MLFLOW_S3_ENDPOINT_URL).'),
  ignoreTls: booleanField(z.boolean().optional().describe('Skip TLS checks for the S3 endpoint (env MLFLOW_S3_IGNORE_TLS).')),
  accessKeyId: optionalText('env AWS_ACCESS_KEY_ID'),
  secretAccessKey: optionalText('env AWS_SECRET_ACCESS_KEY'),
  sessionToken: optionalText('env AWS_SESSION_TOKEN'),
  region: optionalText('env AWS_DEFAULT_REGION'),
});

export const TrackingConfigSchema = z
  .strictObject({
    uri: optionalText('unset/path/file: → local store, http(s):// → MLflow REST, memory: → in-memory, noop → no-op.'),
    registryUri: optionalText('Model registry URI. Default: the tracking URI.'),
    experimentName: optionalText('Default: env MLFLOW_EXPERIMENT_NAME, else "Default".').superRefine(domainRule(assertValidExperimentName)),
    username: optionalText('HTTP Basic user (env MLFLOW_TRACKING_USERNAME).'),
    password: optionalText('HTTP Basic password (env MLFLOW_TRACKING_PASSWORD).'),
    token: optionalText('Bearer token (env MLFLOW_TRACKING_TOKEN).'),
    insecureTls: booleanField(z.boolean().optional().describe('Skip certificate checks (env MLFLOW_TRACKING_INSECURE_TLS).')),
    serverCertPath: optionalText('CA bundle to trust (env MLFLOW_TRACKING_SERVER_CERT_PATH).'),
    clientCertPath: optionalText('Client certificate (env MLFLOW_TRACKING_CLIENT_CERT_PATH).'),
    maxRetries: numberField(z.number().int({ message: 'must be a whole number' }).min(0).max(9).optional()),
    backoffFactor: numberField(z.number().min(0).optional()),
    backoffJitter: numberField(z.number().min(0).optional()),
    timeoutSeconds: numberField(z.number().positive().optional()),
    s3: S3ConfigSchema.optional(),
    onUnavailable: z.enum(['spill', 'fail']).default('spill').describe('spill: keep writing to spillDir; fail: stop the job.'),
    spillDir: textWithDefault('./mlruns-spill'),
    systemMetrics: z
      .union([
        booleanField(z.boolean()),
        z.strictObject({ intervalSeconds: numberField(z.number().min(0.01).max(3600).optional().describe('Seconds between samples (default 10).')) }),
      ])
      .optional()
      .describe('Sample CPU, memory and process RSS as system/… metrics in every run (MLflow\'s log_system_metrics). Default off.'),
  })
  .refine((t) => !(t.insecureTls === true && t.serverCertPath !== undefined), {
    // MLflow refuses this pair too: trusting a CA bundle and skipping verification contradict each other
    message: 'insecureTls and serverCertPath cannot both be set; keep one of them',
    path: ['insecureTls'],
  });

/** Every section but `job`, whose schema depends on the job kinds a container knows. */
const ServiceSectionsSchema = z.strictObject({
  $schema: z.string().optional().describe('Editor hint only: the JSON Schema this file follows.'),
  app: z.strictObject({ name: textWithDefault('mlops-kit', 'Shown in alerts: "[<name>] <title>: <message>".') }).prefault({}),
  logging: LoggingConfigSchema.prefault({}),
  alerts: z.strictObject({ enabled: booleanField(z.boolean().default(true)) }).prefault({}),
  tracking: TrackingConfigSchema.prefault({}),
});

const schemas = new WeakMap<JobRegistry, z.ZodType>();

/**
 * The whole config's schema for a set of job kinds: the service sections plus `job`, discriminated by
 * `KIND` over every kind in `jobs`. `job` is optional here (a backend's container has none; the CLI's
 * loader requires it).
 *
 * @example appConfigSchema(new JobRegistry([...BUILTIN_JOBS, HelloJobDefinition])).parse(raw);
 */
export function appConfigSchema(jobs: JobRegistry): z.ZodType {
  let schema = schemas.get(jobs);
  if (schema === undefined) {
    schema = ServiceSectionsSchema.extend({ job: jobs.schema.optional() });
    schemas.set(jobs, schema);
  }
  return schema;
}

/** The config schema for the built-in job kinds. */
export const AppConfigSchema = ServiceSectionsSchema.extend({ job: BUILTIN_JOB_REGISTRY.schema.optional() });

/**
 * A validated configuration: every default applied; `job` is present when the config names one.
 *
 * @example const config: AppConfig = parseAppConfig({ tracking: { uri: 'memory:' } }); config.tracking.onUnavailable; // 'spill'
 */
export type AppConfig = z.output<typeof ServiceSectionsSchema> & { job?: JobSection };
/**
 * A configuration that names a job: what `loadConfig` returns and `mlops-kit run` executes.
 *
 * @example const { config } = loadConfig({ files: ['job.yaml'] }); config.job.KIND; // RunnableConfig: job is always set
 */
export type RunnableConfig = AppConfig & { job: JobSection };
/**
 * What a config may contain before defaults are applied (for apps that build configs in code).
 *
 * @example const input: AppConfigInput = { tracking: { uri: 'memory:' }, logging: { format: 'json' } }; createContainer({ config: input });
 */
export type AppConfigInput = z.input<typeof AppConfigSchema>;
/**
 * The validated `logging:` section: level, sink (stderr, stdout or a file path) and format (pretty or json).
 *
 * @example const { level, format }: LoggingConfig = config.logging;
 */
export type LoggingConfig = z.infer<typeof LoggingConfigSchema>;
/**
 * The validated `tracking:` section: URI, credentials, TLS, retries, S3, and what to do when the server is
 * unreachable. Settings left unset here are filled from MLFLOW_* variables by the container.
 *
 * @example const { uri, onUnavailable }: TrackingConfig = config.tracking;
 */
export type TrackingConfig = z.infer<typeof TrackingConfigSchema>;
/**
 * The validated `tracking.s3:` section, for S3-compatible artifact stores; unset fields come from AWS_* / MLFLOW_S3_* variables.
 *
 * @example const s3: S3Config | undefined = config.tracking.s3;
 */
export type S3Config = z.infer<typeof S3ConfigSchema>;
/**
 * The validated `alerts:` section: whether alerts are sent at all (default true).
 *
 * @example const alerts: AlertsConfig = config.alerts; if (!alerts.enabled) logger.info('alerts are off');
 */
export type AlertsConfig = AppConfig['alerts'];

/**
 * How `parseAppConfig` validates: the environment that fills `job.model`, where keys came from (for
 * messages), whether `job:` is required, and the job kinds it may name.
 *
 * @example const config = parseAppConfig(raw, { env: process.env, requireJob: true }); // RunnableConfig
 */
export interface ParseAppConfigOptions {
  /** Fills `job.model` from MLOPS_MODEL_NAME when unset. Without it the schema default applies. */
  env?: EnvMap;
  /** Names the file a key came from, for error messages. Default: "config". */
  originOf?: OriginOf;
  /** Reject a config without a `job` section (what `mlops-kit run` needs). Default false. */
  requireJob?: boolean;
  /** The job kinds `job:` may name. Default: the built-in kinds. */
  jobs?: JobRegistry;
}

/**
 * Validates a configuration object (from files, or built in code) and applies every default. It is
 * idempotent: a parsed config parses to itself. Throws ConfigError with a one-line, actionable message.
 *
 * @example
 * const config = parseAppConfig({ tracking: { uri: 'memory:' }, job: { KIND: 'PromotionJob', model: 'churn' } });
 * config.job?.KIND === 'PromotionJob' && config.job.alias; // 'Champion'
 */
export function parseAppConfig(raw: unknown, options: ParseAppConfigOptions & { requireJob: true }): RunnableConfig;
export function parseAppConfig(raw: unknown, options?: ParseAppConfigOptions): AppConfig;
export function parseAppConfig(raw: unknown, options: ParseAppConfigOptions = {}): AppConfig {
  // a config this function produced is valid as it is: parsing it again would only cost start-up time
  if (typeof raw === 'object' && raw !== null && VALIDATED.has(raw)) return raw as AppConfig;
  const originOf = options.originOf ?? (() => 'config');
  const jobs = options.jobs ?? BUILTIN_JOB_REGISTRY;
  let input = raw;
  if (isMapping(raw) && raw.job !== undefined && options.env) input = { ...raw, job: applyJobEnvDefaults(raw.job, options.env, jobs) };
  if (options.requireJob && (!isMapping(raw) || raw.job === undefined)) {
    const file = originOf([]);
    throw new ConfigError(
      `${file}: job: the job section is missing. Add job: with a KIND, one of ${jobs.kinds.join(', ')} (e.g. "job: { KIND: ExampleJob }").`,
      ErrorCodes.CONFIG_INVALID,
      { details: { file, keyPath: 'job' } },
    );
  }
  const config = validateAgainst(appConfigSchema(jobs), input, originOf) as AppConfig;
  VALIDATED.add(config);
  return config;
}

/** Configs returned by parseAppConfig (and so by loadConfig), by identity. */
const VALIDATED = new WeakSet<object>();
