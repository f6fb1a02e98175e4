import { isTerminalStatus, type Run } from '../../domain/model/run';
import type { IModelRegistry } from '../../domain/ports/model-registry';
import type { ITracker } from '../../domain/ports/tracker';
import { LineageReplayer, syncedModels } from './lineage-replayer';
import type { LocalStoreReader } from './local-store-reader';
import { MirrorReplayer, mirroredRunId } from './mirror-replayer';
import { ModelReplayer } from './model-replayer';
import { missingOn, targetTags } from './run-delta';
import { countDelta, deliver } from './run-delivery';
import type { StoreIndex, StoredExperiment, StoredRun } from './store-types';
import { readStoreLineage } from './store-lineage-reader';
import { SyncRecorder, type SyncReport } from './sync-report';
import { silentProgress, type SyncProgress } from './sync-progress';
import { SyncTags, originFilter } from './sync-tags';
import type { TargetRun } from './version-source';

export interface StoreReplayerOptions {
  /** Read the target, send nothing, and report what would be sent. */
  dryRun?: boolean;
  progress?: SyncProgress;
}

/**
 * Replays a local store into a target through the ITracker and IModelRegistry ports: experiments by name
 * (get or create), then runs (parents before nested runs) with their name, start time, params, tags,
 * full metric history, artifacts, dataset inputs, the logged models they produced (lineage-replayer.ts) and
 * final status/end time, then registered models, versions and aliases.
 *
 * Idempotent. Each new run is created with the tag `mlops-kit.sync.origin_run_id` and gets
 * `mlops-kit.sync.complete=true` last, after everything else (including the final status) was
 * delivered. Before replaying a run, the target experiment is searched for its origin id:
 * - complete → skipped, nothing sent;
 * - found but incomplete (an earlier sync died mid-way) → RESUMED, never re-created: params and tags are
 *   sent only where the target differs, and for each metric key only the values missing from the target's
 *   history (a multiset difference, see metric-delta.ts), so no metric value is ever delivered twice;
 *   artifacts are uploaded again (an upload overwrites the same path, so nothing doubles).
 * A run still RUNNING/SCHEDULED in the store is replayed as far as it goes but not marked complete, so
 * the next sync resumes it; the tracker ends it KILLED on stop, like any run left open.
 *
 * A spill-store MIRROR run (tag `mlops-kit.spill.remote_run_id`) is not copied: its values are appended
 * to the server run it names (see mirror-replayer.ts).
 *
 * @example
 * const reader = new LocalStoreReader('./mlruns');
 * const replayer = new StoreReplayer(reader, tracker, registry, { progress: progressFor(process.stderr) });
 * const report = await replayer.replay(await reader.open());
 * process.stdout.write(formatSummary(report, './mlruns', settings.trackingUri));
 */
export class StoreReplayer {
  private readonly recorder: SyncRecorder;
  private readonly progress: SyncProgress;
  private readonly mirrors: MirrorReplayer;
  private readonly experimentIds = new Map<string, string | undefined>();
  private readonly targets = new Map<string, TargetRun>();
  private lineage: LineageReplayer | undefined;
  private runsDone = 0;
  private runsTotal = 0;

  constructor(
    private readonly reader: LocalStoreReader,
    private readonly tracker: ITracker,
    private readonly registry: IModelRegistry | undefined,
    options: StoreReplayerOptions = {},
  ) {
    this.recorder = new SyncRecorder(options.dryRun ?? false);
    this.progress = options.progress ?? silentProgress;
    this.mirrors = new MirrorReplayer(reader, tracker, this.recorder, () => this.onMetric());
  }

  /** Counts and lines so far; complete once `replay` resolved, partial if it threw. */
  report(): SyncReport {
    return this.recorder.report();
  }

  async replay(index: StoreIndex): Promise<SyncReport> {
    for (const warning of index.warnings) this.recorder.warn(warning);
    const lineage = await readStoreLineage(index);
    for (const warning of lineage.warnings) this.recorder.warn(warning);
    this.lineage = new LineageReplayer(this.tracker, this.recorder, lineage);
    this.runsTotal = index.runs.length;
    try {
      // an experiment holding only mirrors has nothing to create: their values go to existing server runs
      const needed = new Set(index.runs.filter((run) => mirroredRunId(run) === undefined).map((run) => run.experimentName));
      const withRuns = new Set(index.runs.map((run) => run.experimentName));
      for (const experiment of index.experiments) if (needed.has(experiment.name) || !withRuns.has(experiment.name)) await this.experiment(experiment);
      for (const run of index.runs) {
        await this.replayRun(run);
        this.runsDone++;
        this.tick();
      }
      if (index.models.length > 0) {
        if (!this.registry) throw new Error('The store holds registered models but no model registry was given to the replayer.');
        const runs = new Map(index.runs.map((run) => [run.runId, run]));
        await new ModelReplayer(this.registry, this.recorder).replay(index.models, runs, this.targets);
      }
    } finally {
      this.progress.end(this.state());
    }
    return this.report();
  }

  /** The target experiment's id; undefined in a dry run for one that would be created. */
  private async experiment(experiment: StoredExperiment): Promise<string | undefined> {
    if (this.experimentIds.has(experiment.name)) return this.experimentIds.get(experiment.name);
    const { summary } = this.recorder;
    const found = await this.tracker.getExperimentByName(experiment.name);
    let id = found?.lifecycleStage === 'active' ? found.experimentId : undefined;
    if (id === undefined && !this.recorder.dryRun) {
      // a deleted experiment owning the name makes this throw a ConflictError saying how to restore it
      id = await this.tracker.getOrCreateExperiment(experiment.name, experiment.tags);
    }
    if (!found) {
      summary.experimentsCreated++;
      this.recorder.action(`create experiment "${experiment.name}"`);
    } else if (found.lifecycleStage !== 'active') {
      this.recorder.warn(`experiment "${experiment.name}" is deleted on the target: restore it there, or rename it in the store, before syncing`);
    }
    summary.experiments++;
    this.experimentIds.set(experiment.name, id);
    return id;
  }

  private async replayRun(run: StoredRun): Promise<void> {
    const { summary, dryRun } = this.recorder;
    const serverRunId = mirroredRunId(run);
    if (serverRunId !== undefined) {
      const target = await this.mirrors.replay(run, serverRunId);
      if (target) {
        // what the mirror holds beside values (inputs, a model logged during the outage) goes to the server run too
        const server = target.runId === undefined ? undefined : await this.tracker.getRun(target.runId);
        const models = await this.lineage!.replay(run, this.recorder.dryRun ? undefined : target.runId, server);
        this.targets.set(run.runId, { ...target, models });
      }
      return;
    }
    // every experiment of the store was resolved before the first run
    const experimentId = this.experimentIds.get(run.experimentName);
    const found = experimentId === undefined ? undefined : await this.findSynced(experimentId, run);
    const label = `run ${run.runId} "${run.runName}" (experiment "${run.experimentName}")`;
    if (found?.data.tags[SyncTags.COMPLETE] === 'true') {
      this.targets.set(run.runId, { runId: found.info.runId, artifactUri: found.info.artifactUri, models: syncedModels(found) });
      summary.runsSkipped++;
      return;
    }
    const data = await this.reader.readRun(run);
    const tags = targetTags(run, this.targets);
    const delta = found ? await missingOn(this.tracker, found, data, tags) : { params: data.params, tags, metrics: data.metrics };
    const counts = countDelta(this.recorder, delta, data);
    this.recorder.action(`${found ? `resume ${label} as ${found.info.runId}` : `create ${label}`}: ${counts}`);
    if (found) summary.runsResumed++;
    else summary.runsCreated++;
    if (!isTerminalStatus(run.status)) {
      this.recorder.warn(`${label} is still ${run.status} in the store: replayed so far, not marked complete; the next sync sends the rest`);
    }
    if (dryRun) {
      const models = await this.lineage!.replay(run, undefined, found);
      this.targets.set(run.runId, found ? { runId: found.info.runId, artifactUri: found.info.artifactUri, models } : { artifactUri: `<artifacts of the new run for ${run.runId}>`, models });
      return;
    }
    const target =
      found?.info ??
      (await this.tracker.createRun({
        experimentId,
        runName: run.runName || undefined,
        startTime: run.startTime,
        // the origin tag goes in with the creation itself: a sync dying right after still finds this run
        tags: { ...delta.tags, [SyncTags.ORIGIN_RUN_ID]: run.runId },
      }));
    this.targets.set(run.runId, { runId: target.runId, artifactUri: target.artifactUri });
    await deliver(this.tracker, target.runId, delta, data, { setTags: found !== undefined, onMetric: () => this.onMetric() });
    const models = await this.lineage!.replay(run, target.runId, found);
    this.targets.set(run.runId, { runId: target.runId, artifactUri: target.artifactUri, models });
    if (!isTerminalStatus(run.status)) return;
    await this.tracker.endRun(target.runId, run.status, run.endTime);
    await this.tracker.setTag(target.runId, SyncTags.COMPLETE, 'true');
    await this.tracker.flush(target.runId);
  }

  /** A target run created by an earlier sync of this run; a complete one wins over an incomplete one. */
  private async findSynced(experimentId: string, run: StoredRun): Promise<Run | undefined> {
    const page = await this.tracker.searchRuns({ experimentIds: [experimentId], filter: originFilter(run.runId), maxResults: 10 });
    if (page.items.length > 1) {
      this.recorder.warn(`run ${run.runId} was synced ${page.items.length} times into experiment "${run.experimentName}" (by concurrent syncs?); using one`);
    }
    return page.items.find((r) => r.data.tags[SyncTags.COMPLETE] === 'true') ?? page.items[0];
  }

  private onMetric(): void {
    this.recorder.summary.metrics++;
    this.tick();
  }

  private tick(): void {
    this.progress.update(this.state());
  }

  private state(): { runsDone: number; runsTotal: number; metrics: number } {
    return { runsDone: this.runsDone, runsTotal: this.runsTotal, metrics: this.recorder.summary.metrics };
  }
}
