import { z } from 'zod';
import { assertValidKey } from '../../../domain/model/naming-rules';
import { numberField } from './fields';
import { domainRule, int } from './rules';

/** `job:` of an ExampleJob. */
export const ExampleJobSchema = z.strictObject({
  KIND: z.literal('ExampleJob'),
  metric: z.string().min(1).superRefine(domainRule((k) => assertValidKey('metric', k))).default('demo_metric').describe('Metric key logged in the run.'),
  value: numberField(z.number().default(1)),
  holdMs: numberField(int(z.number()).min(0).optional().describe('Keep the run open this long before ending it (ms).')),
});

/**
 * An ExampleJob's config as written (defaulted fields optional).
 *
 * @example const smoke: ExampleJobConfig = { KIND: 'ExampleJob', metric: 'smoke_test', value: 1 }; await runtime.run(smoke);
 */
export type ExampleJobConfig = z.input<typeof ExampleJobSchema>;
