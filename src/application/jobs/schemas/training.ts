import { z } from 'zod';
import { booleanField, numberField, optionalText } from './fields';
import { atMost, JOB_LIMITS } from './limits';
import { int, modelName } from './rules';

/** `job:` of a TrainingJob. */
export const TrainingJobSchema = z.strictObject({
  KIND: z.literal('TrainingJob'),
  model: modelName(),
  runName: optionalText(),
  seed: numberField(int(z.number()).default(42).describe('Seeds data generation and the train/test split.')),
  rows: numberField(int(z.number()).min(2).max(JOB_LIMITS.maxRows, atMost(JOB_LIMITS.maxRows)).default(500).describe('Rows of synthetic data (ignored with dataPath).')),
  epochs: numberField(int(z.number()).min(1).max(JOB_LIMITS.maxEpochs, atMost(JOB_LIMITS.maxEpochs)).default(200)),
  learningRate: numberField(z.number().positive().default(0.05)),
  l2: numberField(z.number().min(0).default(0.001).describe('L2 penalty.')),
  testFraction: numberField(z.number().gt(0).lt(1).default(0.2).describe('Held-out share of rows.')),
  dataPath: optionalText('CSV with a header and a `demand` column to predict. Default: synthetic data.'),
  register: booleanField(z.boolean().default(true).describe('Register the model version.')),
});

/**
 * A TrainingJob's config as written (defaulted fields optional).
 *
 * @example const job: TrainingJobConfig = { KIND: 'TrainingJob', model: 'bike-demand', dataPath: 'data/bikes.csv', epochs: 500 };
 */
export type TrainingJobConfig = z.input<typeof TrainingJobSchema>;
/** The training defaults, for code that trains outside a job (experiment branches). */
export const TRAINING_DEFAULTS = TrainingJobSchema.parse({ KIND: 'TrainingJob' });
