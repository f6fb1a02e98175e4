import type { z } from 'zod';
import { type ErrorCode, ErrorCodes, ValidationError } from '../../../domain/errors';

/**
 * Parses a job's config with its schema, for jobs built in code (the runtime has already validated, with
 * file and key path, what comes from config files). A problem is a ValidationError whose message names
 * the key (`job.alias: …`) and whose code is the domain rule's own (INVALID_ALIAS …) where one applies.
 *
 * @example const config = parseJobConfig(PromotionJobSchema, { KIND: 'PromotionJob', model: 'churn' });
 */
export function parseJobConfig<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const keyPath = ['job', ...issue.path.map(String)].join('.');
  const code = ((issue as { params?: { code?: ErrorCode } }).params?.code ?? ErrorCodes.VALIDATION) as ErrorCode;
  throw new ValidationError(`${keyPath}: ${issue.message}`, code, { details: { keyPath } });
}
