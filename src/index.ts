/**
 * mlops-kit's root entry: what an app that embeds the library needs — container creation, config
 * loading, ports and model types, errors, tokens, jobs and their results, `withRun`. Adapters and test
 * doubles live in subpath entries (`mlops-kit/testing`, `mlops-kit/mlflow`, `mlops-kit/local`,
 * `mlops-kit/logging`, `mlops-kit/alerting`, `mlops-kit/experiments`), so importing the root loads no
 * adapter library (axios, winston, yaml, the AWS SDK, node-notifier) until a container chooses one.
 *
 * One export statement per source module: adding a public name is one line, and `etc/*.api.md`
 * (npm run api:update) records the decision.
 *
 * @example
 * import { loadConfig, createContainer, resolveJob } from 'mlops-kit';
 * const { config, env } = loadConfig({ files: ['jobs/promotion.yaml'] });
 * const container = createContainer({ config, env, profile: 'production' });
 * const result = await resolveJob(container).execute();
 *
 * @packageDocumentation
 */
import 'reflect-metadata';

// domain: ports, model types, errors with stable codes, DI tokens, naming rules
export * from './domain';

// composition root and configuration; functions that need inversify/zod/yaml load them on first call
export { createContainer, resolveJob, loadConfig, parseAppConfig, configJsonSchema } from './entries/deferred';
export type { CreateContainerOptions, ContainerOverrides } from './infrastructure/container/create-container';
export { PROFILES, isProfile, type Profile } from './infrastructure/container/profiles';
export type { LoadConfigOptions, LoadedConfig } from './infrastructure/config/load';
export type { EnvMap } from './infrastructure/config/env';
export type { OriginOf } from './infrastructure/config/validate';
export type { KeyPath } from './infrastructure/config/tree';
export type { ParseAppConfigOptions, AppConfig, AppConfigInput, RunnableConfig, TrackingConfig, LoggingConfig, S3Config, AlertsConfig } from './infrastructure/config/schema';
export type { JobConfig, JobKind } from './infrastructure/config/job-schemas';
export { maskSecrets } from './infrastructure/config/mask';

// jobs and their results
export { Job, type JobServices, type JobResult } from './application/jobs/job';
export type { PromotionJobConfig, TrainingJobConfig, InferenceJobConfig, ExperimentJobConfig } from './application/jobs/job-configs';
export { PromotionJob, type PromotionResult } from './application/jobs/promotion-job';
export { TrainingJob, type TrainingResult, type TrainingJobDeps } from './application/jobs/training-job';
export { InferenceJob, type InferenceResult, type InferenceJobDeps } from './application/jobs/inference-job';
export { ExperimentJob, type ExperimentResult, type ExperimentJobDeps } from './application/jobs/experiment-job';
export type { ProgressStream } from './application/experiments/progress';
export { ExampleJob, type ExampleJobConfig } from './application/jobs/example-job';

// a run scope for code outside jobs
export { withRun } from './application/tracking/with-run';
