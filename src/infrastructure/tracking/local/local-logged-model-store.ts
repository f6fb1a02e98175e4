import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ErrorCodes, NotFoundError } from '../../../domain/errors';
import type { DatasetInput, LoggedModel, LoggedModelStatus, ModelOutput } from '../../../domain/model/logged-model';
import type { RunInputs, RunOutputs } from '../../../domain/model/run';
import type { LoggedModelStore, NewLoggedModel } from '../client/logged-model-store';
import { replaceFile } from './atomic-write';
import { KeyedQueue } from './keyed-queue';
import { META, type StoreLayout, listValueFiles, readValue } from './local-layout';
import {
  loggedModelArtifactLocation, loggedModelMeta, newLoggedModelId, parseLoggedModelMeta, type LoggedModelRecord,
} from './local-logged-model-files';
import { LocalRunIO, createDirOnce, entries, experimentIds } from './local-run-io';
import { dumpMeta, field, readMetaFile } from './meta-yaml';

/**
 * Options of {@link LocalLoggedModelStore}.
 *
 * @example new LocalLoggedModelStore(layout, { clock: () => 1_700_000_000_000 })
 */
export interface LocalLoggedModelStoreOptions {
  /** Milliseconds since the epoch for creation and update times; `Date.now` by default. */
  clock?: () => number;
  /** New model ids; `m-<uuid4 hex>` like MLflow 3 by default (tests pin them). */
  newModelId?: () => string;
}

/**
 * Logged models, datasets and run inputs/outputs in the local store, written exactly as MLflow 3's
 * FileStore writes them (`<exp>/models/<m-id>/…`, `<exp>/datasets/…`, `<run>/inputs/…`, `<run>/outputs/…`;
 * see local-logged-model-files.ts), so MLflow 3's client reads a mlops-kit store back. A model's
 * `artifactUri` is `<experiment artifact location>/models/<id>/artifacts` (a `file:` URI for a local
 * experiment); the caller writes the model's files there and then finalises it.
 *
 * @example
 * const models = new LocalLoggedModelStore(new StoreLayout('./mlruns'));
 * const pending = await models.create({ experimentId, name: 'model', sourceRunId: runId, params: {}, tags: {} });
 * // … copy the model's files into fileURLToPath(pending.artifactUri) …
 * await models.finalize(pending.modelId!, 'READY');
 * await models.logOutputs(runId, [{ modelId: pending.modelId!, step: 0 }]);
 */
export class LocalLoggedModelStore implements LoggedModelStore {
  private readonly clock: () => number;
  private readonly newModelId: () => string;
  private readonly runs: LocalRunIO;
  /** model id → its experiment's directory, checked on use (an experiment moved to `.trash` takes its models along). */
  private readonly locations = new Map<string, string>();
  private readonly metaQueue = new KeyedQueue();

  constructor(private readonly layout: StoreLayout, options: LocalLoggedModelStoreOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.newModelId = options.newModelId ?? newLoggedModelId;
    this.runs = new LocalRunIO(layout);
  }

  /** The file store has logged models (MLflow 3 layout). */
  async supported(): Promise<boolean> {
    return true;
  }

  async create(model: NewLoggedModel): Promise<LoggedModel> {
    const experimentMeta = this.layout.experimentMeta(model.experimentId);
    const experiment = await readMetaFile(experimentMeta, ErrorCodes.EXPERIMENT_NOT_FOUND, `experiment ${model.experimentId}`);
    const modelId = this.newModelId();
    const now = this.clock();
    const created: LoggedModel & { modelId: string } = {
      modelId, name: model.name, experimentId: model.experimentId,
      ...(model.sourceRunId !== undefined ? { sourceRunId: model.sourceRunId } : {}),
      ...(model.modelType !== undefined ? { modelType: model.modelType } : {}),
      artifactUri: loggedModelArtifactLocation(field(experiment, 'artifact_location', 'string', experimentMeta), modelId),
      modelUri: `models:/${modelId}`, status: 'PENDING', creationTimestamp: now, lastUpdatedTimestamp: now,
      params: { ...model.params }, tags: { ...model.tags },
    };
    const modelsDir = path.join(this.layout.experimentDir(model.experimentId), 'models');
    const made = await createDirOnce(modelsDir, modelId, dumpMeta(loggedModelMeta(created, { created: true })), modelsDir, async (staging) => {
      await fs.mkdir(path.join(staging, 'metrics'));
      await fs.mkdir(path.join(staging, 'params'));
      await writeValues(path.join(staging, 'params'), created.params);
      await writeValues(path.join(staging, 'tags'), created.tags);
    });
    if (!made) throw new Error(`Logged model id ${modelId} is already taken in ${modelsDir}; the id generator repeated itself.`);
    this.locations.set(modelId, this.layout.experimentDir(model.experimentId));
    return created;
  }

  /** Rewrites meta.yaml with the new status as MLflow's finalize does (which drops `lifecycle_stage`). */
  async finalize(modelId: string, status: Exclude<LoggedModelStatus, 'PENDING'>): Promise<LoggedModel> {
    return this.metaQueue.run(modelId, async () => {
      const { dir, record } = await this.find(modelId);
      const updated = { ...(await this.toModel(dir, record)), status, lastUpdatedTimestamp: this.clock() };
      await replaceFile(path.join(dir, META), dumpMeta(loggedModelMeta(updated, { created: false })));
      return updated;
    });
  }

  /** Searches every experiment (active and in `.trash`) for the id; MODEL_NOT_FOUND when none holds it. */
  async get(modelId: string): Promise<LoggedModel> {
    const { dir, record } = await this.find(modelId);
    return this.toModel(dir, record);
  }

  /** Every logged model of an experiment (deleted ones left out), oldest first. */
  async listModels(experimentId: string): Promise<LoggedModel[]> {
    const modelsDir = path.join(this.layout.experimentDir(experimentId), 'models');
    const models: LoggedModel[] = [];
    for (const name of await entries(modelsDir)) {
      const file = path.join(modelsDir, name, META);
      const meta = await readMetaFile(file).catch((error: unknown) => {
        if (error instanceof NotFoundError) return undefined; // not a model (MLflow skips these too)
        throw error;
      });
      if (!meta) continue;
      const record = parseLoggedModelMeta(meta, file);
      if (!record.deleted && record.experimentId === experimentId) models.push(await this.toModel(path.join(modelsDir, name), record));
    }
    return models.sort((a, b) => a.creationTimestamp - b.creationTimestamp || (a.modelId! < b.modelId! ? -1 : 1));
  }

  async logOutputs(runId: string, outputs: ModelOutput[]): Promise<void> {
    await this.runs.logOutputs(runId, outputs);
  }

  async logInputs(runId: string, inputs: DatasetInput[]): Promise<void> {
    await this.runs.logInputs(runId, inputs);
  }

  /** A run's dataset inputs (for getRun). RUN_NOT_FOUND when the run does not exist. */
  async runInputs(runId: string): Promise<RunInputs> {
    return this.runs.runInputs(runId);
  }

  /** A run's model outputs (for getRun). RUN_NOT_FOUND when the run does not exist. */
  async runOutputs(runId: string): Promise<RunOutputs> {
    return this.runs.runOutputs(runId);
  }

  private async find(modelId: string): Promise<{ dir: string; record: LoggedModelRecord }> {
    if (!/^[\w.-]+$/.test(modelId) || /^\.+$/.test(modelId)) throw notFound(modelId, this.layout.root);
    const known = this.locations.get(modelId);
    const found = known !== undefined ? await this.findIn([known], modelId) : undefined;
    if (found) return found;
    const candidates = (await experimentIds(this.layout)).map((id) => this.layout.experimentDir(id));
    candidates.push(...(await entries(this.layout.trash)).map((id) => path.join(this.layout.trash, id)));
    const scanned = await this.findIn(candidates, modelId);
    if (scanned) return scanned;
    throw notFound(modelId, this.layout.root);
  }

  private async findIn(experimentDirs: string[], modelId: string): Promise<{ dir: string; record: LoggedModelRecord } | undefined> {
    for (const experimentDir of experimentDirs) {
      const dir = path.join(experimentDir, 'models', modelId);
      const file = path.join(dir, META);
      const meta = await readMetaFile(file, ErrorCodes.MODEL_NOT_FOUND).catch((error: unknown) => {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      });
      if (!meta) continue;
      const record = parseLoggedModelMeta(meta, file);
      if (record.deleted) throw notFound(modelId, this.layout.root);
      this.locations.set(modelId, experimentDir);
      return { dir, record };
    }
    return undefined;
  }

  private async toModel(dir: string, record: LoggedModelRecord): Promise<LoggedModel & { modelId: string }> {
    const { deleted: _deleted, ...info } = record;
    return { ...info, modelUri: `models:/${record.modelId}`, params: await readValues(path.join(dir, 'params')), tags: await readValues(path.join(dir, 'tags')) };
  }
}

function notFound(modelId: string, root: string): NotFoundError {
  return new NotFoundError(`Logged model ${JSON.stringify(modelId)} does not exist in the local store ${root}. Check the id (models:/m-<id>).`, ErrorCodes.MODEL_NOT_FOUND, {
    details: { modelId },
  });
}

/** Raw value files, a `/` in a key as nested directories, no trailing newline (MLflow's `write_to`). */
async function writeValues(dir: string, values: Record<string, string>): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    const file = path.join(dir, ...key.split('/'));
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, value);
  }
}

async function readValues(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const key of await listValueFiles(dir)) out[key] = (await readValue(path.join(dir, ...key.split('/')))) ?? '';
  return out;
}
