import type { ITracker } from '../../domain/ports/tracker';
import type { RunDelta } from './run-delta';
import type { StoredRunData } from './store-types';
import type { SyncRecorder } from './sync-report';

export interface DeliverOptions {
  /** Send `delta.tags` too (a new run got its tags with `createRun` already). */
  setTags: boolean;
  /** Called after each metric value is handed to the tracker (counts and progress). */
  onMetric: () => void;
}

/**
 * Sends a run's params, tags and metric values through the tracker, which batches them into
 * `runs/log-batch` within MLflow's limits, waits until they are delivered, then uploads every artifact
 * file to the same relative path (an upload replaces the file, so a resumed run's files never double).
 *
 * @example
 * await deliver(tracker, target.runId, delta, data, { setTags: false, onMetric: () => sent++ });
 */
export async function deliver(tracker: ITracker, runId: string, delta: RunDelta, data: StoredRunData, options: DeliverOptions): Promise<void> {
  if (Object.keys(delta.params).length > 0) await tracker.logParams(runId, delta.params);
  if (options.setTags && Object.keys(delta.tags).length > 0) await tracker.setTags(runId, delta.tags);
  for (const [key, values] of delta.metrics) {
    for (const metric of values) {
      await tracker.logMetric(runId, key, metric.value, { step: metric.step, timestamp: metric.timestamp });
      options.onMetric();
    }
  }
  await tracker.flush(runId);
  for (const file of data.artifacts) {
    const slash = file.relative.lastIndexOf('/');
    await tracker.logArtifact(runId, file.absolute, slash < 0 ? undefined : file.relative.slice(0, slash));
  }
}

/**
 * Adds what a delta holds to the summary and describes it in one phrase. Metric values are counted
 * here only in a dry run; a real sync counts them as they are sent (`onMetric`).
 */
export function countDelta(recorder: SyncRecorder, delta: RunDelta, data: StoredRunData): string {
  const { summary } = recorder;
  const metrics = [...delta.metrics.values()].reduce((sum, values) => sum + values.length, 0);
  const params = Object.keys(delta.params).length;
  const tags = Object.keys(delta.tags).length;
  summary.params += params;
  summary.tags += tags;
  summary.artifacts += data.artifacts.length;
  summary.artifactBytes += data.artifacts.reduce((sum, file) => sum + file.size, 0);
  if (recorder.dryRun) summary.metrics += metrics;
  return `${metrics} metrics, ${params} params, ${tags} tags, ${data.artifacts.length} artifacts`;
}
