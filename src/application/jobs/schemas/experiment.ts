import { z } from 'zod';
import { booleanField, numberField, requiredText } from './fields';
import { atMost, JOB_LIMITS } from './limits';
import { int, modelName } from './rules';

const params = z.record(z.string(), z.unknown());

/** `job:` of an ExperimentJob. */
export const ExperimentJobSchema = z
  .strictObject({
    KIND: z.literal('ExperimentJob'),
    name: requiredText('Experiment name: the parent run and its branches are grouped under it.').max(JOB_LIMITS.maxNameLength, {
      message: `must have at most ${JOB_LIMITS.maxNameLength} characters`,
    }),
    model: modelName(),
    base: params.default({}).describe('Training parameters shared by every branch.'),
    variants: z.array(params).min(1).optional().describe('Explicit branches: each one is merged over `base`.'),
    grid: z
      .record(z.string(), z.array(z.unknown()).min(1, { message: 'must list at least one value' }))
      .optional()
      .describe('Parameter → list of values; every combination becomes a branch.'),
    concurrency: numberField(int(z.number()).min(1).max(JOB_LIMITS.maxConcurrency, atMost(JOB_LIMITS.maxConcurrency)).default(4)),
    retries: numberField(int(z.number()).min(0).max(JOB_LIMITS.maxRetries, atMost(JOB_LIMITS.maxRetries)).default(0)),
    retryBackoffMs: numberField(int(z.number()).min(0).default(100)),
    failFast: booleanField(z.boolean().default(false).describe('Stop at the first failed branch.')),
    timeoutMs: numberField(int(z.number()).min(1).optional().describe('Per-branch time limit.')),
  })
  .refine((job) => job.variants !== undefined || (job.grid !== undefined && Object.keys(job.grid).length > 0), {
    message: 'needs branches: set variants (a list of parameter sets) or grid (parameter: [values]), or both',
  });

/**
 * An ExperimentJob's config as written (defaulted fields optional).
 *
 * @example const job: ExperimentJobConfig = { KIND: 'ExperimentJob', name: 'lr-sweep', base: { epochs: 300 }, grid: { learningRate: [0.01, 0.05] }, concurrency: 2 };
 */
export type ExperimentJobConfig = z.input<typeof ExperimentJobSchema>;
