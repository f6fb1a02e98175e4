export { Job, type JobServices, type JobResult } from './job';
export {
  JOB_DEFAULTS,
  withDefaults,
  type WithDefaults,
  type PromotionJobConfig,
  type TrainingJobConfig,
  type InferenceJobConfig,
  type ExperimentJobConfig,
} from './job-configs';
export { PromotionJob, type PromotionResult } from './promotion-job';
export { TrainingJob, type TrainingResult, type TrainingJobDeps } from './training-job';
export { InferenceJob, PREDICTION_COLUMN, type InferenceResult, type InferenceJobDeps } from './inference-job';
export { ExperimentJob, type ExperimentResult, type ExperimentJobDeps } from './experiment-job';
export { BRANCH_KEYS, checkBranchConfig } from './experiment-branch-config';
export { loadTrainingData, dataSourceLabel, type DataSpec } from './training-data';
export { ExampleJob, type ExampleJobConfig } from './example-job';
