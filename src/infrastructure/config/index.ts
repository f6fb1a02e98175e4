export { loadConfig, type LoadConfigOptions, type LoadedConfig } from './load';
export { loadEnv, type EnvMap, type LoadEnvOptions, type LoadedEnv } from './env';
export { substituteString, substituteTree, type MissingVariable } from './substitute';
export { parseOverride, type Override } from './overrides';
export { validateAgainst, type OriginOf } from './validate';
export { configJsonSchema } from './json-schema';
export { maskSecrets, maskUri, isSecretKey, MASK } from './mask';
export {
  AppConfigSchema,
  appConfigSchema,
  LoggingConfigSchema,
  TrackingConfigSchema,
  S3ConfigSchema,
  parseAppConfig,
  type ParseAppConfigOptions,
  type RunnableConfig,
  type AppConfig,
  type AppConfigInput,
  type LoggingConfig,
  type TrackingConfig,
  type S3Config,
  type AlertsConfig,
} from './schema';
export { JOB_KINDS, BUILTIN_JOB_REGISTRY, applyJobEnvDefaults, type JobSection } from './job-schemas';
