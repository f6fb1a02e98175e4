/**
 * `mlops-kit/jobs`: the built-in job classes, their definitions and zod schemas, and the JobRegistry —
 * for apps that build a job in code, extend a built-in, or validate `job:` sections themselves. Apps
 * that only run jobs need none of it: `runtime.run({ KIND: 'TrainingJob', … })` is enough.
 *
 * @example
 * import { BUILTIN_JOBS, JobRegistry } from 'mlops-kit/jobs';
 * const kinds = new JobRegistry([...BUILTIN_JOBS, GreetJobDefinition]).kinds;
 *
 * @packageDocumentation
 */
export { JobRegistry } from '../application/jobs/job-registry';
export { BUILTIN_JOBS } from '../application/jobs/builtin-jobs';
export { ExampleJob, ExampleJobDefinition } from '../application/jobs/example-job';
export { PromotionJob, PromotionJobDefinition } from '../application/jobs/promotion-job';
export { TrainingJob, TrainingJobDefinition, type TrainingJobDeps } from '../application/jobs/training-job';
export { InferenceJob, InferenceJobDefinition, PREDICTION_COLUMN, type InferenceJobDeps } from '../application/jobs/inference-job';
export { ExperimentJob, ExperimentJobDefinition, type ExperimentJobDeps } from '../application/jobs/experiment-job';
export { ExampleJobSchema } from '../application/jobs/schemas/example';
export { PromotionJobSchema, PromotionGateSchema } from '../application/jobs/schemas/promotion';
export { TrainingJobSchema, TRAINING_DEFAULTS } from '../application/jobs/schemas/training';
export { InferenceJobSchema } from '../application/jobs/schemas/inference';
export { ExperimentJobSchema } from '../application/jobs/schemas/experiment';
export { MODEL_NAME_ENV, DEFAULT_MODEL_NAME } from '../application/jobs/schemas/rules';
