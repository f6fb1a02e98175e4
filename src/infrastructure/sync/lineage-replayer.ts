import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LogModelRequest } from '../../domain/model/logged-model';
import type { Run } from '../../domain/model/run';
import type { ITracker } from '../../domain/ports/tracker';
import { INPUT_EXAMPLE_FILE } from '../tracking/models/input-example';
import { readMlmodel } from '../tracking/models/mlmodel-read';
import type { StoreLineage, StoredLoggedModel } from './store-lineage-reader';
import type { StoredRun } from './store-types';
import type { SyncRecorder } from './sync-report';

const MODEL_MARKER = 'mlops-kit.sync.model.';

/**
 * The target run's record of a logged model it already received from sync: tag
 * `mlops-kit.sync.model.<store model id>` = the model's URI on the target.
 *
 * @example syncedModels(run).get('m-0123…') // 'models:/m-9f2…' when an earlier sync carried it
 */
export function syncedModels(run: Run | undefined): Map<string, string> {
  const models = new Map<string, string>();
  for (const [key, value] of Object.entries(run?.data.tags ?? {})) if (key.startsWith(MODEL_MARKER)) models.set(key.slice(MODEL_MARKER.length), value);
  return models;
}

/**
 * Replays what MLflow 3 records beside a run: its dataset inputs (the target keeps one per name and
 * digest, so sending them again adds nothing) and the logged models it produced, each logged again
 * through `tracker.logModel` — a logged model on a 3.x target, run artifacts on a 2.x one — with the
 * stored MLmodel's flavors, signature and input example. A model is marked on the target run once
 * logged, so a resumed sync never logs it twice.
 *
 * @example const models = await new LineageReplayer(tracker, recorder, lineage).replay(run, targetRunId, found);
 */
export class LineageReplayer {
  constructor(
    private readonly tracker: ITracker,
    private readonly recorder: SyncRecorder,
    private readonly lineage: StoreLineage,
  ) {}

  /** Returns store model id → the model's URI on the target (for version sources `models:/m-<id>`). */
  async replay(run: StoredRun, targetRunId: string | undefined, synced: Run | undefined): Promise<Map<string, string>> {
    const { dryRun, summary } = this.recorder;
    const inputs = this.lineage.inputs.get(run.runId) ?? [];
    if (inputs.length > 0) {
      summary.datasetInputs += inputs.length;
      this.recorder.action(`log ${inputs.length} dataset input${inputs.length === 1 ? '' : 's'} of run ${run.runId}`);
      if (!dryRun && targetRunId !== undefined) await this.tracker.logInputs(targetRunId, inputs);
    }
    const models = syncedModels(synced);
    for (const model of this.lineage.models.filter((m) => m.sourceRunId === run.runId && !models.has(m.modelId))) {
      if (model.status !== 'READY' || model.artifactsDir === undefined) {
        this.recorder.warn(`logged model ${model.modelId} "${model.name}" of run ${run.runId} not synced: it is ${model.status}${model.artifactsDir ? '' : ' and its files are not in the store'}`);
        continue;
      }
      // a broken MLmodel is reported and skipped, in a dry run too: it must not stop the sync of everything else
      const request = await requestFor(model).catch((error: unknown) => {
        this.recorder.warn(`logged model ${model.modelId} "${model.name}" of run ${run.runId} not synced: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      });
      if (request === undefined) continue;
      summary.loggedModels++;
      this.recorder.action(`log model ${model.modelId} "${model.name}" of run ${run.runId}`);
      if (dryRun || targetRunId === undefined) {
        models.set(model.modelId, `<the new model for ${model.modelId}>`);
        continue;
      }
      const logged = await this.tracker.logModel(targetRunId, request);
      await this.tracker.setTag(targetRunId, `${MODEL_MARKER}${model.modelId}`, logged.modelUri);
      models.set(model.modelId, logged.modelUri);
    }
    return models;
  }
}

/** The stored model as a logModel request: its files, and what its MLmodel says (the MLmodel itself is written anew). */
async function requestFor(model: StoredLoggedModel): Promise<LogModelRequest> {
  const dir = model.artifactsDir!;
  const mlmodel = await readMlmodel(dir);
  const example = mlmodel.savedInputExampleInfo ? await readSplitExample(path.join(dir, INPUT_EXAMPLE_FILE)) : undefined;
  return {
    name: model.name,
    path: dir,
    flavors: mlmodel.flavors,
    ...(mlmodel.signature !== undefined && { signature: mlmodel.signature }),
    ...(example !== undefined && { inputExample: example }),
    ...(model.modelType !== undefined && { modelType: model.modelType }),
    params: model.params,
    tags: model.tags,
  };
}

/** Rows back from `input_example.json` in pandas split orient; undefined when it is missing or another shape. */
async function readSplitExample(file: string): Promise<Record<string, unknown>[] | undefined> {
  try {
    const { columns, data } = JSON.parse(await readFile(file, 'utf8')) as { columns?: unknown; data?: unknown };
    if (!Array.isArray(columns) || !Array.isArray(data)) return undefined;
    return data.map((row: unknown[]) => Object.fromEntries(columns.map((column: string, i) => [column, row[i]])));
  } catch {
    return undefined;
  }
}
