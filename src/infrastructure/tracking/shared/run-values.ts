import { randomBytes, randomInt } from 'node:crypto';
import { ConflictError, ErrorCodes } from '../../../domain/errors';
import type { Metric } from '../../../domain/model/run';

/**
 * What the stores that keep their own state (memory, local) share so they answer like an MLflow server:
 * 32-hex run ids, generated run names, the "latest" metric, write-once params. The rules the client
 * applies before a value reaches any store live in ../client/client-rules.ts.
 */

/** A run id as MLflow makes them: uuid4 hex without dashes (32 lowercase hex chars). */
export function newRunId(): string {
  const bytes = randomBytes(16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return bytes.toString('hex');
}

const ADJECTIVES = ['bright', 'calm', 'clever', 'bold', 'gentle', 'swift', 'quiet', 'brave', 'merry', 'sunny', 'wise', 'keen'];
const NOUNS = ['owl', 'fox', 'lark', 'otter', 'hare', 'wren', 'seal', 'crane', 'lynx', 'finch', 'moth', 'trout'];

/** A readable default run name (`bright-owl-123`), like the names MLflow generates. */
export function randomRunName(): string {
  const pick = (list: string[]) => list[randomInt(list.length)]!;
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${randomInt(1000)}`;
}

/** MLflow's "latest" value of a metric: the greatest (step, timestamp, value); later logging wins a tie. */
export function isLaterMetric(candidate: Metric, current: Metric | undefined): boolean {
  if (current === undefined) return true;
  if (candidate.step !== current.step) return candidate.step > current.step;
  if (candidate.timestamp !== current.timestamp) return candidate.timestamp > current.timestamp;
  if (Number.isNaN(current.value)) return true;
  return !(candidate.value < current.value);
}

/** Params are write-once: the same value again is fine, another value is a ConflictError. */
export function assertParamUnchanged(runId: string, key: string, existing: string | undefined, value: string): void {
  if (existing === undefined || existing === value) return;
  throw new ConflictError(
    `Param ${JSON.stringify(key)} of run ${runId} is already ${JSON.stringify(existing)}; params are write-once and cannot change to ${JSON.stringify(value)}. Log it under another key or start a new run.`,
    ErrorCodes.CONFLICT,
    { details: { runId, key } },
  );
}
