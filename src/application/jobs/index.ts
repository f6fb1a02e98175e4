export { Job, type JobServices, type JobContext, type JobResult } from './job';
export {
  defineJob,
  type JobDefinition,
  type AnyJobDefinition,
  type JobSchema,
  type JobPort,
  type JobInput,
  type JobResultOf,
  type JobKindOf,
  type DefinitionOf,
} from './job-definition';
export { JobRegistry } from './job-registry';
export { BUILTIN_JOBS, type BuiltinJobDefinition } from './builtin-jobs';
export { ExampleJobSchema, type ExampleJobConfig } from './schemas/example';
export { PromotionJobSchema, type PromotionJobConfig } from './schemas/promotion';
export { TrainingJobSchema, TRAINING_DEFAULTS, type TrainingJobConfig } from './schemas/training';
export { InferenceJobSchema, type InferenceJobConfig } from './schemas/inference';
export { ExperimentJobSchema, type ExperimentJobConfig } from './schemas/experiment';
export { MODEL_NAME_ENV, DEFAULT_MODEL_NAME } from './schemas/rules';
export { JOB_LIMITS } from './schemas/limits';
export { PromotionJob, PromotionJobDefinition, type PromotionResult } from './promotion-job';
export { TrainingJob, TrainingJobDefinition, type TrainingResult, type TrainingJobDeps } from './training-job';
export { InferenceJob, InferenceJobDefinition, PREDICTION_COLUMN, type InferenceResult, type InferenceJobDeps } from './inference-job';
export { ExperimentJob, ExperimentJobDefinition, type ExperimentResult, type ExperimentJobDeps } from './experiment-job';
export { BRANCH_KEYS, checkBranchConfig } from './experiment-branch-config';
export { loadTrainingData, dataSourceLabel, type DataSpec } from './training-data';
export { ExampleJob, ExampleJobDefinition, type ExampleResult } from './example-job';
