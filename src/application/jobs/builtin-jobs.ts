import { ExampleJobDefinition } from './example-job';
import { ExperimentJobDefinition } from './experiment-job';
import { InferenceJobDefinition } from './inference-job';
import { PromotionJobDefinition } from './promotion-job';
import { TrainingJobDefinition } from './training-job';

/**
 * The five job kinds mlops-kit ships, defined exactly as an app defines its own.
 *
 * @example new JobRegistry([...BUILTIN_JOBS, HelloJobDefinition]);
 */
export const BUILTIN_JOBS = [
  ExampleJobDefinition,
  PromotionJobDefinition,
  TrainingJobDefinition,
  InferenceJobDefinition,
  ExperimentJobDefinition,
] as const;

/**
 * The union of the built-in definitions: what a container knows when the app adds none.
 *
 * @example type BuiltinKind = BuiltinJobDefinition['kind']; // 'ExampleJob' | 'PromotionJob' | 'TrainingJob' | 'InferenceJob' | 'ExperimentJob'
 */
export type BuiltinJobDefinition = (typeof BUILTIN_JOBS)[number];
