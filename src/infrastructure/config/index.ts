export { loadConfig, type LoadConfigOptions, type LoadedConfig } from './load';
export { loadEnv, type EnvMap, type LoadEnvOptions, type LoadedEnv } from './env';
export { substituteString, substituteTree, type MissingVariable } from './substitute';
export { parseOverride, type Override } from './overrides';
export { validateAgainst, type OriginOf } from './validate';
export { configJsonSchema } from './json-schema';
export { maskSecrets, maskUri, isSecretKey, MASK } from './mask';
export {
  AppConfigSchema,
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
export {
  JOB_KINDS,
  JOB_DESCRIPTIONS,
  JobConfigSchema,
  ExampleJobSchema,
  PromotionJobSchema,
  TrainingJobSchema,
  InferenceJobSchema,
  ExperimentJobSchema,
  MODEL_NAME_ENV,
  DEFAULT_MODEL_NAME,
  applyJobEnvDefaults,
  type JobKind,
  type JobConfig,
  type ExampleJobConfig,
  type PromotionJobConfig,
  type TrainingJobConfig,
  type InferenceJobConfig,
  type ExperimentJobConfig,
} from './job-schemas';
