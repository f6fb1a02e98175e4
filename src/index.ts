/**
 * mlops-kit's public API: what an app that embeds the library needs. Adapters are exported so apps
 * can construct or rebind them; the container and its runtime are the usual entry point.
 *
 * @example
 * import { loadConfig, createContainer, createRuntime } from 'mlops-kit';
 * const { config, env } = loadConfig({ files: ['mlops.yaml'], requireJob: false });
 * const runtime = createRuntime(createContainer({ config, env, profile: 'production' }));
 * await runtime.start();
 * const result = await runtime.run({ KIND: 'PromotionJob', model: 'bike-demand' });
 * await runtime.close();
 */
import 'reflect-metadata';

// domain: ports, model types, errors, tokens, naming rules
export * from './domain';

// application: jobs, experiments, training, run scope
export * from './application/jobs/index';
export * from './application/runtime/index';
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
  appConfigSchema,
  JOB_KINDS,
  type LoadConfigOptions,
  type LoadedConfig,
  type AppConfig,
  type AppConfigInput,
  type RunnableConfig,
  type TrackingConfig,
  type LoggingConfig,
  type JobSection,
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
