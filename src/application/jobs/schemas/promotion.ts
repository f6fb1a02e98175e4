import { z } from 'zod';
import { assertValidAlias } from '../../../domain/model/naming-rules';
import { booleanField, numberField } from './fields';
import { domainRule, int, modelName } from './rules';

/** `job:` of a PromotionJob. */
export const PromotionJobSchema = z.strictObject({
  KIND: z.literal('PromotionJob'),
  model: modelName(),
  alias: z.string().superRefine(domainRule(assertValidAlias)).default('Champion').describe('`latest` and `v<digits>` are reserved by MLflow.'),
  version: numberField(int(z.number()).min(1).optional().describe('Version to promote. Default: the latest version.')),
  dryRun: booleanField(z.boolean().default(false).describe('Report what would change, change nothing.')),
});

/**
 * A PromotionJob's config as written (defaulted fields optional).
 *
 * @example const job: PromotionJobConfig = { KIND: 'PromotionJob', model: 'churn', version: 3, dryRun: true }; await runtime.run(job);
 */
export type PromotionJobConfig = z.input<typeof PromotionJobSchema>;
