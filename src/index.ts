/**
 * mlops-kit's public API: what an app that embeds the library needs. Adapters are exported so apps
 * can construct or rebind them; the container is the usual entry point.
 *
 * @example
 * import { loadConfig, createContainer, resolveJob, TYPES } from 'mlops-kit';
 * const { config, env } = loadConfig({ files: ['jobs/promotion.yaml'] });
 * const container = createContainer({ config, env, profile: 'production' });
 * const result = await resolveJob(container).execute();
 */
import 'reflect-metadata';

// domain: ports, model types, errors, tokens, naming rules
export * from './domain';

// application: jobs, experiments, training, run scope
export * from './application/jobs/index';
export * from './application/experiments/index';
export * from './application/training/index';
export { withRun } from './application/tracking/with-run';

// infrastructure: composition root, config, adapters
export * from './infrastructure/container';
export {
  loadConfig,
  parseAppConfig,
  configJsonSchema,
  maskSecrets,
  AppConfigSchema,
  JobConfigSchema,
  JOB_KINDS,
  JOB_DESCRIPTIONS,
  type LoadConfigOptions,
  type LoadedConfig,
  type AppConfig,
  type AppConfigInput,
  type RunnableConfig,
  type TrackingConfig,
  type LoggingConfig,
  type JobConfig,
  type JobKind,
} from './infrastructure/config';
export * from './infrastructure/logging';
export * from './infrastructure/alerting';
export * from './infrastructure/tracking/memory';
export * from './infrastructure/tracking/noop';
export * from './infrastructure/tracking/local';
export {
  MlflowTracker,
  MlflowModelRegistry,
  MlflowRestClient,
  resolveMlflowSettings,
  type MlflowSettings,
} from './infrastructure/tracking/mlflow';
