/**
 * mlops-kit's root entry: what an app that embeds the library needs — the container and its job
 * runtime, config loading, ports and model types, errors, typed tokens, the Job base class and
 * `defineJob` for the app's own kinds, the built-in kinds' config and result types, `withRun`. The
 * built-in job classes live in `mlops-kit/jobs`; adapters and test doubles in the other subpath
 * entries (`mlops-kit/testing`, `mlops-kit/mlflow`, `mlops-kit/local`, `mlops-kit/logging`,
 * `mlops-kit/alerting`, `mlops-kit/experiments`), so importing the root loads no adapter library
 * (axios, winston, yaml, the AWS SDK, node-notifier), nor inversify or zod, until a container is built.
 *
 * One export statement per source module: adding a public name is one line, and `etc/*.api.md`
 * (npm run api:update) records the decision.
 *
 * @example
 * import { loadConfig, createContainer, createRuntime } from 'mlops-kit';
 * const { config, env } = loadConfig({ files: ['mlops.yaml'], requireJob: false });
 * const runtime = createRuntime(createContainer({ config, env, profile: 'production' }));
 * await runtime.start();
 * const result = await runtime.run({ KIND: 'PromotionJob', model: 'bike-demand' });
 * await runtime.close();
 *
 * @packageDocumentation
 */
import 'reflect-metadata';

// domain: ports, model types, errors with stable codes, typed DI tokens, naming rules
export * from './domain';

// composition root and configuration; functions that need inversify/zod/yaml load them on first call
export { createContainer, loadConfig, parseAppConfig, configJsonSchema } from './entries/deferred';
export { createRuntime } from './infrastructure/container/create-runtime';
export type { CreateContainerOptions, ContainerOverrides } from './infrastructure/container/create-container';
export type { MlopsContainer, JobsOf } from './infrastructure/container/mlops-container';
export { PROFILES, isProfile, type Profile } from './infrastructure/container/profiles';
export type { LoadConfigOptions, LoadedConfig } from './infrastructure/config/load';
export type { EnvMap } from './infrastructure/config/env';
export type { OriginOf } from './infrastructure/config/validate';
export type { KeyPath } from './infrastructure/config/tree';
export type { ParseAppConfigOptions, AppConfig, AppConfigInput, RunnableConfig, TrackingConfig, LoggingConfig, S3Config, AlertsConfig } from './infrastructure/config/schema';
export type { JobSection } from './infrastructure/config/job-schemas';
export { maskSecrets } from './infrastructure/config/mask';

// the runtime: one lifecycle for many concurrent jobs
export { JobRuntime, type JobRuntimeOptions, type RunJobOptions, type CloseOptions, type RunInput } from './application/runtime/job-runtime';
export type { RuntimeHealth } from './application/runtime/runtime-health';
export type { ServiceProviders } from './application/runtime/service-providers';

// serving: runtime.predictor(uri) scores requests with a model and follows its alias
export type { Predictor, PredictorInput, PredictResult, PredictorOptions, PredictorStatus, PredictorError } from './application/serving/predictor-types';

// jobs: the base class, definitions for an app's own kinds, the built-in kinds' configs and results
export { Job, type JobServices, type JobContext, type JobResult } from './application/jobs/job';
export {
  defineJob,
  type JobDefinition,
  type AnyJobDefinition,
  type JobSchema,
  type JobPort,
  type JobUses,
  type JobInput,
  type JobResultOf,
  type JobKindOf,
  type DefinitionOf,
} from './application/jobs/job-definition';
export type { JobRegistry } from './application/jobs/job-registry';
export type { BuiltinJobDefinition } from './application/jobs/builtin-jobs';
export { JOB_LIMITS } from './application/jobs/schemas/limits';
export type { ExampleJobConfig } from './application/jobs/schemas/example';
export type { PromotionJobConfig, PromotionGateConfig } from './application/jobs/schemas/promotion';
export type { TrainingJobConfig } from './application/jobs/schemas/training';
export type { InferenceJobConfig } from './application/jobs/schemas/inference';
export type { ExperimentJobConfig } from './application/jobs/schemas/experiment';
export type { PromotionResult } from './application/jobs/promotion-job';
export type { GateOutcome } from './application/jobs/promotion-gate';
export type { GateMetric } from './application/scoring/gate-metrics';
export type { TrainingResult } from './application/jobs/training-job';
export type { InferenceResult } from './application/jobs/inference-job';
export type { ExperimentResult } from './application/jobs/experiment-job';
export type { ExampleResult } from './application/jobs/example-job';
export type { ProgressStream } from './application/experiments/progress';

// a run scope for code outside jobs
export { withRun } from './application/tracking/with-run';
