import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConflictError, ErrorCodes, NotFoundError } from '../../../domain/errors';
import type { DatasetInput, ModelOutput } from '../../../domain/model/logged-model';
import type { RunInputs, RunOutputs } from '../../../domain/model/run';
import { ensureDir } from './atomic-write';
import { META, NOT_EXPERIMENTS, type StoreLayout } from './local-layout';
import {
  datasetId, datasetInputId, datasetInputMeta, datasetMeta, modelOutputMeta, parseDatasetInputMeta, parseDatasetMeta, parseModelOutputMeta,
} from './local-logged-model-files';
import { dumpMeta, readMetaFile } from './meta-yaml';

/**
 * A run's dataset inputs and model outputs in MLflow 3's file-store layout (see local-logged-model-files.ts):
 * a dataset is stored once per experiment under `datasets/<md5(name+digest)>`, each run that used it gets
 * `inputs/<md5(dataset_id+run_id)>`, each logged model it produced `outputs/<model_id>`. Like MLflow, the
 * first write of an entry wins and later ones with the same identity change nothing. Every entry appears
 * whole (built aside, then renamed into place), so MLflow reading the store meanwhile never meets an
 * entry without its meta.yaml.
 *
 * @example
 * const io = new LocalRunIO(layout);
 * await io.logInputs(runId, [{ dataset, tags: { 'mlflow.data.context': 'training' } }]);
 * (await io.runInputs(runId)).datasetInputs[0].dataset.name // 'bikes'
 */
export class LocalRunIO {
  /** run id → experiment id; runs never move between active experiments, so a hit stays valid while it exists. */
  private readonly locations = new Map<string, string>();

  constructor(private readonly layout: StoreLayout) {}

  async logInputs(runId: string, inputs: DatasetInput[]): Promise<void> {
    const { experimentId, runDir } = await this.activeRun(runId);
    const experimentDir = this.layout.experimentDir(experimentId);
    for (const input of inputs) {
      const id = datasetId(input.dataset.name, input.dataset.digest);
      await createDirOnce(path.join(experimentDir, 'datasets'), id, dumpMeta(datasetMeta(input.dataset)));
      // staged in the run directory: MLflow lists every entry of inputs/ as an input
      await createDirOnce(path.join(runDir, 'inputs'), datasetInputId(id, runId), dumpMeta(datasetInputMeta(id, input.tags)), runDir);
    }
  }

  async logOutputs(runId: string, outputs: ModelOutput[]): Promise<void> {
    const { runDir } = await this.activeRun(runId);
    for (const output of outputs) {
      await createDirOnce(path.join(runDir, 'outputs'), output.modelId, dumpMeta(modelOutputMeta(output)), runDir);
    }
  }

  /** The run's dataset inputs, by dataset name then digest; an input whose dataset is missing is skipped, as MLflow does. */
  async runInputs(runId: string): Promise<RunInputs> {
    const { experimentId, runDir } = await this.locate(runId);
    const datasetsDir = path.join(this.layout.experimentDir(experimentId), 'datasets');
    const datasetInputs: DatasetInput[] = [];
    for (const entry of await entries(path.join(runDir, 'inputs'))) {
      const file = path.join(runDir, 'inputs', entry, META);
      const input = parseDatasetInputMeta(await readMetaFile(file, ErrorCodes.NOT_FOUND, `input ${entry} of run ${runId}`), file);
      if (!input) continue;
      const datasetFile = path.join(datasetsDir, input.datasetId, META);
      const meta = await readMetaFile(datasetFile).catch((error: unknown) => {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      });
      if (meta) datasetInputs.push({ dataset: parseDatasetMeta(meta, datasetFile), tags: input.tags });
    }
    datasetInputs.sort((a, b) => compare(a.dataset.name, b.dataset.name) || compare(a.dataset.digest, b.dataset.digest));
    return { datasetInputs };
  }

  /** The logged models the run recorded as outputs, by step then model id. */
  async runOutputs(runId: string): Promise<RunOutputs> {
    const { runDir } = await this.locate(runId);
    const modelOutputs: ModelOutput[] = [];
    for (const entry of await entries(path.join(runDir, 'outputs'))) {
      const file = path.join(runDir, 'outputs', entry, META);
      const output = parseModelOutputMeta(await readMetaFile(file, ErrorCodes.NOT_FOUND, `output ${entry} of run ${runId}`), file);
      if (output) modelOutputs.push(output);
    }
    modelOutputs.sort((a, b) => a.step - b.step || compare(a.modelId, b.modelId));
    return { modelOutputs };
  }

  /** Which experiment holds the run; RUN_NOT_FOUND when none does. */
  async locate(runId: string): Promise<{ experimentId: string; runDir: string }> {
    this.layout.runDir('0', runId); // validates the id as a path segment
    const known = this.locations.get(runId);
    if (known !== undefined && (await isFile(this.layout.runMeta(known, runId)))) return { experimentId: known, runDir: this.layout.runDir(known, runId) };
    for (const experimentId of await experimentIds(this.layout)) {
      if (await isFile(this.layout.runMeta(experimentId, runId))) {
        this.locations.set(runId, experimentId);
        return { experimentId, runDir: this.layout.runDir(experimentId, runId) };
      }
    }
    throw new NotFoundError(`Run ${runId} does not exist in the local store ${this.layout.root}.`, ErrorCodes.RUN_NOT_FOUND, { details: { runId } });
  }

  /** Like MLflow's `check_run_is_active`: a deleted run takes no inputs or outputs. */
  private async activeRun(runId: string): Promise<{ experimentId: string; runDir: string }> {
    const location = await this.locate(runId);
    const meta = await readMetaFile(this.layout.runMeta(location.experimentId, runId), ErrorCodes.RUN_NOT_FOUND, `run ${runId}`);
    if (meta.lifecycle_stage === 'deleted') {
      throw new ConflictError(`Run ${runId} is deleted; restore it before logging inputs or outputs to it.`, ErrorCodes.CONFLICT, { details: { runId } });
    }
    return location;
  }
}

/** Active experiment ids of the store: the root's entries except `.trash`, `models` and other dot-entries. */
export async function experimentIds(layout: StoreLayout): Promise<string[]> {
  return (await entries(layout.root)).filter((name) => !NOT_EXPERIMENTS.has(name));
}

/**
 * Creates `<parent>/<name>/meta.yaml` unless `<parent>/<name>` exists: the directory is built in
 * `stagingParent` (same filesystem) and renamed into place, which fails when the target exists, so
 * exactly one of several racing writers creates it and readers never see it half made. True if created.
 */
export async function createDirOnce(parent: string, name: string, meta: string, stagingParent = parent, extra?: (staging: string) => Promise<void>): Promise<boolean> {
  const target = path.join(parent, name);
  if (await exists(target)) return false;
  await ensureDir(parent);
  const staging = path.join(stagingParent, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.creating`);
  try {
    await fs.mkdir(staging, { recursive: true });
    await fs.writeFile(path.join(staging, META), meta);
    if (extra) await extra(staging);
    await fs.rename(staging, target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false; // another writer won the race
    throw error;
  } finally {
    await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Directory entries that are not dot-entries (hidden files, our in-flight staging directories), sorted; none when missing. */
export async function entries(dir: string): Promise<string[]> {
  const names = await fs.readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [] as string[];
    throw error;
  });
  return names.filter((name) => !name.startsWith('.')).sort();
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(() => true, () => false);
}

async function isFile(file: string): Promise<boolean> {
  return fs.stat(file).then((s) => s.isFile(), () => false);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
