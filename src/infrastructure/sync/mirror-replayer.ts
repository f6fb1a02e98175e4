import { NotFoundError } from '../../domain/errors';
import { MlflowTags, isTerminalStatus, type Run } from '../../domain/model/run';
import type { ITracker } from '../../domain/ports/tracker';
import { SPILL_REMOTE_RUN_TAG } from '../tracking/spill/spill-ledger';
import type { LocalStoreReader } from './local-store-reader';
import { missingOn } from './run-delta';
import { countDelta, deliver } from './run-delivery';
import type { StoredRun } from './store-types';
import type { SyncRecorder } from './sync-report';
import { isSyncTag, mirrorMarker } from './sync-tags';
import type { TargetRun } from './version-source';

/** The server run a spill-store mirror holds values for, or undefined for an ordinary run. */
export function mirroredRunId(run: StoredRun): string | undefined {
  return run.tags[SPILL_REMOTE_RUN_TAG] || undefined;
}

/**
 * Replays a spill-store MIRROR run: the values a run that exists on the server could not take while
 * the server was down (the spill layer, SpillingStore, tags the mirror `mlops-kit.spill.remote_run_id=<server run>`).
 * They are appended to that server run rather than copied into a new one: params and tags the run
 * lacks, the metric values missing from its history (a multiset difference, which also drops a value
 * whose batch did land before the client gave up on it), artifacts, and the final status if the server
 * run is still open. The tag `mlops-kit.sync.mirror.<mirror run id>=complete` on the server run, written
 * last, makes the next sync skip the mirror.
 *
 * @example
 * const target = await new MirrorReplayer(reader, tracker, recorder, onMetric).replay(run, mirroredRunId(run)!);
 */
export class MirrorReplayer {
  constructor(
    private readonly reader: LocalStoreReader,
    private readonly tracker: ITracker,
    private readonly recorder: SyncRecorder,
    private readonly onMetric: () => void,
  ) {}

  /** Where the mirror's values went, or undefined when the target has no such run (reported). */
  async replay(run: StoredRun, serverRunId: string): Promise<TargetRun | undefined> {
    const { summary, dryRun } = this.recorder;
    const label = `spilled values of run ${serverRunId} (spill run ${run.runId})`;
    let target: Run;
    try {
      target = await this.tracker.getRun(serverRunId);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      this.recorder.warn(`${label} not synced: the target has no run ${serverRunId}; sync the spill store to the server the job was using`);
      return undefined;
    }
    const result = { runId: serverRunId, artifactUri: target.info.artifactUri };
    const marker = mirrorMarker(run.runId);
    if (target.data.tags[marker] === 'complete') {
      summary.runsSkipped++;
      return result;
    }
    const data = await this.reader.readRun(run);
    const delta = await missingOn(this.tracker, target, data, ownTags(run));
    this.recorder.action(`append ${label}: ${countDelta(this.recorder, delta, data)}`);
    summary.runsAppended++;
    const ended = isTerminalStatus(run.status);
    if (!ended) this.recorder.warn(`${label}: the mirror is still ${run.status}; sent so far, the next sync sends the rest`);
    if (dryRun) return result;
    await deliver(this.tracker, serverRunId, delta, data, { setTags: true, onMetric: this.onMetric });
    if (!ended) return result;
    // the job's own endRun failed while the server was down: the mirror kept the final status
    if (!isTerminalStatus(target.info.status)) await this.tracker.endRun(serverRunId, run.status, run.endTime);
    await this.tracker.setTag(serverRunId, marker, 'complete');
    await this.tracker.flush(serverRunId);
    return result;
  }
}

/** Tags the job set while the server was down; not the ones the spill store made up for the mirror itself. */
function ownTags(run: StoredRun): Record<string, string> {
  const madeUp = new Set<string>([SPILL_REMOTE_RUN_TAG, MlflowTags.RUN_NAME, MlflowTags.USER]);
  return Object.fromEntries(Object.entries(run.tags).filter(([key]) => !madeUp.has(key) && !isSyncTag(key)));
}
