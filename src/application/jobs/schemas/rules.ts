import { z } from 'zod';
import { assertValidModelName } from '../../../domain/model/naming-rules';

/** The env variable that names the model when a job's `model` is not set, and the last-resort default. */
export const MODEL_NAME_ENV = 'MLOPS_MODEL_NAME';
export const DEFAULT_MODEL_NAME = 'bike-demand';

/** Turns a domain assertion (throws ValidationError) into a zod refinement with the same message. */
export function domainRule(assert: (value: string) => void) {
  return (value: string | undefined, ctx: z.RefinementCtx) => {
    if (value === undefined) return;
    try {
      assert(value);
    } catch (error) {
      // the domain error's code travels with the issue, so a job built in code reports INVALID_ALIAS, not a generic code
      const code = (error as { code?: unknown }).code;
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error), ...(typeof code === 'string' && { params: { code } }) });
    }
  };
}

/** A registered model name, by MLflow's rules; the loader fills it from MLOPS_MODEL_NAME when unset. */
export const modelName = () =>
  z
    .string()
    .min(1, { message: 'must not be empty' })
    .superRefine(domainRule(assertValidModelName))
    .default(DEFAULT_MODEL_NAME)
    .describe(`Registered model name. Default: env ${MODEL_NAME_ENV}, else "${DEFAULT_MODEL_NAME}".`);

/** A whole number, with the message config errors use. */
export const int = (inner: z.ZodNumber) => inner.int({ message: 'must be a whole number' });
