import { quoteFilterValue } from '../tracking/shared/filter-parser';

export { quoteFilterValue };

/**
 * Bookkeeping tags that make a sync idempotent. Every run a sync creates carries ORIGIN_RUN_ID (the run
 * id in the local store) from its creation on, so a later sync finds it with one search; COMPLETE is
 * written last, after metrics, artifacts and the final status, so a run without it is known to be
 * unfinished (an earlier sync died) and is resumed rather than created again.
 */
export const SyncTags = {
  ORIGIN_RUN_ID: 'mlops-kit.sync.origin_run_id',
  COMPLETE: 'mlops-kit.sync.complete',
} as const;

/** True for the bookkeeping tags, which are never copied from a source run (that would fake completion). */
export function isSyncTag(key: string): boolean {
  return key.startsWith('mlops-kit.sync.');
}

/** Written on a server run once the spill-store mirror `mirrorRunId` was appended to it in full. */
export function mirrorMarker(mirrorRunId: string): string {
  return `mlops-kit.sync.mirror.${mirrorRunId}`;
}

/** `tags.\`mlops-kit.sync.origin_run_id\` = '<id>'`: the key needs back-ticks (it holds dots and a dash). */
export function originFilter(originRunId: string): string {
  return `tags.\`${SyncTags.ORIGIN_RUN_ID}\` = ${quoteFilterValue(originRunId)}`;
}

/** A filter literal, or undefined when the value cannot be written as one. */
export function tryQuote(value: string): string | undefined {
  return value.includes("'") && value.includes('"') ? undefined : quoteFilterValue(value);
}
