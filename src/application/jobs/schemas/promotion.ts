import { z } from 'zod';
import { assertValidAlias } from '../../../domain/model/naming-rules';
import { GATE_METRICS } from '../../scoring/gate-metrics';
import { booleanField, numberField, requiredText } from './fields';
import { domainRule, int, modelName } from './rules';

const alias = () => z.string().superRefine(domainRule(assertValidAlias));

/**
 * `job.gate` of a PromotionJob: the candidate must beat the version behind `mustBeat` on a holdout CSV
 * before the alias moves.
 *
 * @example PromotionGateSchema.parse({ dataPath: 'holdout.csv', target: 'demand', metric: 'rmse' }).mustBeat; // undefined: the alias moved
 */
export const PromotionGateSchema = z.strictObject({
  dataPath: requiredText('Holdout CSV both models are scored on: the model columns plus the target column.'),
  target: requiredText('Column of the holdout holding the true values.'),
  metric: z.enum(GATE_METRICS).describe('rmse and mae: lower is better; r2, accuracy and f1 (binary, class 1): higher is better.'),
  mustBeat: alias().optional().describe('Alias whose version the candidate must beat. Default: the alias being moved.'),
  minImprovement: numberField(z.number().positive().optional().describe('Beat the holder by at least this much (in the metric\'s units). Default: any improvement.')),
  threshold: numberField(z.number().optional().describe('The candidate must also be at least this good: ≤ for rmse/mae, ≥ for r2/accuracy/f1.')),
});

/** `job:` of a PromotionJob. */
export const PromotionJobSchema = z.strictObject({
  KIND: z.literal('PromotionJob'),
  model: modelName(),
  alias: alias().default('Champion').describe('`latest` and `v<digits>` are reserved by MLflow.'),
  version: numberField(int(z.number()).min(1).optional().describe('Version to promote. Default: the latest version.')),
  dryRun: booleanField(z.boolean().default(false).describe('Report what would change, change nothing.')),
  gate: PromotionGateSchema.optional().describe('Promote only a version that beats the current holder on a holdout. Default: no gate.'),
});

/**
 * A PromotionJob's config as written (defaulted fields optional).
 *
 * @example const job: PromotionJobConfig = { KIND: 'PromotionJob', model: 'churn', version: 3, dryRun: true }; await runtime.run(job);
 */
export type PromotionJobConfig = z.input<typeof PromotionJobSchema>;
/**
 * A promotion gate's config as written.
 *
 * @example const gate: PromotionGateConfig = { dataPath: 'data/holdout.csv', target: 'demand', metric: 'rmse', minImprovement: 0.5 };
 */
export type PromotionGateConfig = z.input<typeof PromotionGateSchema>;
