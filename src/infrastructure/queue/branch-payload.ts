import { z } from 'zod';
import { ConfigError, ErrorCodes } from '../../domain/errors';

/**
 * One experiment branch as a queue job: the variant's training config (already merged over `base`, no
 * secrets: variants are checked like job configs) and the parent run it nests under. The worker adds the
 * branch's run id after its first attempt, so retries log to the same nested run, and the exception of
 * the final failure, so the parent reports it like an in-process branch.
 */
export interface BranchPayload {
  v: 1;
  branch: {
    configId: string;
    name: string;
    config: Record<string, unknown>;
    parentRunId: string;
    experimentId: string;
    timeoutMs?: number;
    /** Set by the worker once the nested run exists. */
    runId?: string;
    /** Set by the worker when the branch has failed for good. */
    exception?: { type: string; message: string; code?: string };
  };
}

const BranchPayloadSchema = z.object({
  v: z.literal(1),
  branch: z.looseObject({
    configId: z.string(),
    name: z.string(),
    config: z.record(z.string(), z.unknown()),
    parentRunId: z.string(),
    experimentId: z.string(),
    timeoutMs: z.number().optional(),
    runId: z.string().optional(),
  }),
});

/** Reads a branch payload a worker took from the branches queue; a foreign shape is a ConfigError (not retried). */
export function readBranchPayload(data: unknown): BranchPayload {
  const parsed = BranchPayloadSchema.safeParse(data);
  if (!parsed.success) {
    throw new ConfigError('queue payload: not an mlops-kit branch payload (v1); was it enqueued by another program or a newer mlops-kit?', ErrorCodes.CONFIG_INVALID);
  }
  return parsed.data as BranchPayload;
}

/** The branches of experiments on queue `name` go to their own queue, so a parent waiting for them never blocks them. */
export function branchQueueName(name: string): string {
  return `${name}.branches`;
}
