import { Limits } from '../../domain/model/naming-rules';
import { MlflowTags, type Metric, type Run } from '../../domain/model/run';
import type { ITracker } from '../../domain/ports/tracker';
import { undelivered } from './metric-delta';
import type { StoredRun, StoredRunData } from './store-types';
import { isSyncTag } from './sync-tags';
import type { TargetRun } from './version-source';

/** What one run still needs on the target: everything for a new run, the missing rest for a resumed one. */
export interface RunDelta {
  params: Record<string, string>;
  tags: Record<string, string>;
  metrics: Map<string, Metric[]>;
}

/**
 * The run's tags as the target should hold them: the parent id mapped to the parent's new run (parents
 * are replayed first), the bookkeeping tags dropped (copying a `complete` tag would fake completion), and
 * `mlflow.user` kept from meta.yaml's user_id, else the tracker would record whoever runs the sync.
 *
 * @example targetTags(run, targets)['mlflow.parentRunId'] // the parent's id on the target
 */
export function targetTags(run: StoredRun, targets: ReadonlyMap<string, TargetRun>): Record<string, string> {
  const tags = Object.fromEntries(Object.entries(run.tags).filter(([key]) => !isSyncTag(key)));
  const parent = tags[MlflowTags.PARENT_RUN_ID];
  const parentTarget = parent === undefined ? undefined : targets.get(parent)?.runId;
  if (parentTarget !== undefined) tags[MlflowTags.PARENT_RUN_ID] = parentTarget;
  if (tags[MlflowTags.USER] === undefined && run.userId) tags[MlflowTags.USER] = run.userId;
  return tags;
}

/**
 * What an incomplete target run (left by a sync that died) lacks: params and tags whose value differs
 * (a value MLflow truncated counts as equal), and per metric key the values missing from the target's
 * history (see metric-delta.ts), so nothing is delivered twice.
 *
 * @example const delta = await missingOn(tracker, found, await reader.readRun(run), targetTags(run, targets));
 */
export async function missingOn(tracker: ITracker, found: Run, data: StoredRunData, tags: Record<string, string>): Promise<RunDelta> {
  const differs = (have: string | undefined, want: string, limit: number): boolean => have !== want && have !== want.slice(0, limit);
  const params = Object.fromEntries(Object.entries(data.params).filter(([key, value]) => differs(found.data.params[key], value, Limits.MAX_PARAM_VALUE_LENGTH)));
  const missingTags = Object.fromEntries(Object.entries(tags).filter(([key, value]) => differs(found.data.tags[key], value, Limits.MAX_TAG_VALUE_LENGTH)));
  const metrics = new Map<string, Metric[]>();
  for (const [key, values] of data.metrics) {
    const missing = undelivered(values, await tracker.getMetricHistory(found.info.runId, key));
    if (missing.length > 0) metrics.set(key, missing);
  }
  return { params, tags: missingTags, metrics };
}
