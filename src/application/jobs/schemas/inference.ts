import { z } from 'zod';
import { MODEL_URI_FORMS, parseModelUri } from '../../../domain/model/naming-rules';
import { requiredText } from './fields';
import { domainRule } from './rules';

/** `job:` of an InferenceJob. */
export const InferenceJobSchema = z.strictObject({
  KIND: z.literal('InferenceJob'),
  modelUri: requiredText(MODEL_URI_FORMS).superRefine(domainRule((uri) => void parseModelUri(uri))),
  inputPath: requiredText('CSV file to score.'),
  outputPath: requiredText('Where to write the predictions.'),
});

/**
 * An InferenceJob's config as written.
 *
 * @example const job: InferenceJobConfig = { KIND: 'InferenceJob', modelUri: 'models:/bike-demand@Champion', inputPath: 'in.csv', outputPath: 'out/predictions.csv' };
 */
export type InferenceJobConfig = z.input<typeof InferenceJobSchema>;
