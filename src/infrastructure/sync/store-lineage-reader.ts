import path from 'node:path';
import type { DatasetInput, LoggedModel, ModelOutput } from '../../domain/model/logged-model';
import { META, resolveStoreRoot } from '../tracking/local/local-layout';
import {
  parseDatasetInputMeta, parseDatasetMeta, parseLoggedModelMeta, parseModelOutputMeta,
} from '../tracking/local/local-logged-model-files';
import { entries } from '../tracking/local/local-run-io';
import { isDirectory, readMetaIfPresent, readValueFolder } from './store-files';
import type { StoreIndex } from './store-types';

/**
 * A logged model as read from a local store (MLflow 3's `<exp>/models/<m-id>/`), for replay to a server.
 *
 * @example for (const model of lineage.models) console.log(model.modelId, model.status, model.artifactsDir);
 */
export interface StoredLoggedModel extends LoggedModel {
  modelId: string;
  /** Absolute path of `<root>/<exp_id>/models/<model_id>`. */
  dir: string;
  /** Local directory holding the model's files (its MLmodel at the root), when there is one on this disk. */
  artifactsDir?: string;
}

/**
 * The MLflow 3 parts of a local store the run index does not carry: logged models, and each run's
 * dataset inputs and model outputs.
 *
 * @example
 * const index = await new LocalStoreReader('./mlruns').open();
 * const lineage = await readStoreLineage(index);
 * lineage.inputs.get(runId) // [{ dataset: { name: 'bikes', … }, tags: { 'mlflow.data.context': 'training' } }]
 */
export interface StoreLineage {
  /** Every logged model of the index's experiments (deleted ones left out), by experiment, then oldest first. */
  models: StoredLoggedModel[];
  /** Run id → its dataset inputs, by dataset name then digest; runs without inputs are absent. */
  inputs: Map<string, DatasetInput[]>;
  /** Run id → the logged models it recorded as outputs, by step; runs without outputs are absent. */
  outputs: Map<string, ModelOutput[]>;
  /** Entries left out (deleted models, directories without meta.yaml, inputs whose dataset is gone): one line each. */
  warnings: string[];
}

/**
 * Reads logged models, datasets, inputs and outputs for every experiment and run of `index` straight
 * from the files, validating as it goes: a malformed meta.yaml, or a param or tag file whose name is not a
 * valid key, is a StoreCorruptError naming the file.
 *
 * @example const { models, inputs, outputs, warnings } = await readStoreLineage(await reader.open());
 */
export async function readStoreLineage(index: StoreIndex): Promise<StoreLineage> {
  const warnings: string[] = [];
  const models: StoredLoggedModel[] = [];
  for (const experiment of index.experiments) models.push(...(await readModels(experiment.dir, experiment.experimentId, warnings)));
  const inputs = new Map<string, DatasetInput[]>();
  const outputs = new Map<string, ModelOutput[]>();
  for (const run of index.runs) {
    const runInputs = await readInputs(run.dir, run.runId, warnings);
    if (runInputs.length > 0) inputs.set(run.runId, runInputs);
    const runOutputs = await readOutputs(run.dir);
    if (runOutputs.length > 0) outputs.set(run.runId, runOutputs);
  }
  return { models, inputs, outputs, warnings };
}

async function readModels(experimentDir: string, experimentId: string, warnings: string[]): Promise<StoredLoggedModel[]> {
  const models: StoredLoggedModel[] = [];
  for (const name of await entries(path.join(experimentDir, 'models'))) {
    const dir = path.join(experimentDir, 'models', name);
    const file = path.join(dir, META);
    const meta = await readMetaIfPresent(file);
    if (!meta) {
      if (await isDirectory(dir)) warnings.push(`${dir}: no ${META}, not a logged model; left out`);
      continue;
    }
    const { deleted, ...record } = parseLoggedModelMeta(meta, file);
    if (deleted) {
      warnings.push(`logged model ${record.modelId} "${record.name}" is deleted in the store; left out`);
      continue;
    }
    if (record.experimentId !== experimentId) {
      warnings.push(`logged model ${record.modelId}: ${file} names experiment ${record.experimentId} but lies in ${experimentId}; left out`);
      continue;
    }
    const artifactsDir = await findArtifactsDir(dir, record.artifactUri);
    if (!artifactsDir && /^[a-z][a-z0-9+.-]+:/i.test(record.artifactUri) && !/^file:/i.test(record.artifactUri)) {
      warnings.push(`logged model ${record.modelId}: its files live at ${record.artifactUri}, not in the store, and are not copied`);
    }
    models.push({
      ...record, modelUri: `models:/${record.modelId}`, dir, ...(artifactsDir ? { artifactsDir } : {}),
      params: await readValueFolder(path.join(dir, 'params'), 'param'), tags: await readValueFolder(path.join(dir, 'tags'), 'tag'),
    });
  }
  return models.sort((a, b) => a.creationTimestamp - b.creationTimestamp || (a.modelId < b.modelId ? -1 : 1));
}

async function readInputs(runDir: string, runId: string, warnings: string[]): Promise<DatasetInput[]> {
  const datasetsDir = path.join(path.dirname(runDir), 'datasets');
  const inputs: DatasetInput[] = [];
  for (const name of await entries(path.join(runDir, 'inputs'))) {
    const file = path.join(runDir, 'inputs', name, META);
    const meta = await readMetaIfPresent(file);
    const input = meta && parseDatasetInputMeta(meta, file);
    if (!input) continue;
    const datasetFile = path.join(datasetsDir, input.datasetId, META);
    const dataset = await readMetaIfPresent(datasetFile);
    if (!dataset) {
      warnings.push(`run ${runId}: input ${name} names dataset ${input.datasetId}, which ${datasetFile} does not hold; left out`);
      continue;
    }
    inputs.push({ dataset: parseDatasetMeta(dataset, datasetFile), tags: input.tags });
  }
  return inputs.sort((a, b) => order(a.dataset.name, b.dataset.name) || order(a.dataset.digest, b.dataset.digest));
}

async function readOutputs(runDir: string): Promise<ModelOutput[]> {
  const outputs: ModelOutput[] = [];
  for (const name of await entries(path.join(runDir, 'outputs'))) {
    const file = path.join(runDir, 'outputs', name, META);
    const meta = await readMetaIfPresent(file);
    const output = meta && parseModelOutputMeta(meta, file);
    if (output) outputs.push(output);
  }
  return outputs.sort((a, b) => a.step - b.step || order(a.modelId, b.modelId));
}

/** `<model>/artifacts` when present (it survives moving the store); else the recorded location if it is local and present. */
async function findArtifactsDir(modelDir: string, artifactUri: string): Promise<string | undefined> {
  const inStore = path.join(modelDir, 'artifacts');
  if (await isDirectory(inStore)) return inStore;
  if (artifactUri === '' || (!/^file:/i.test(artifactUri) && /^[a-z][a-z0-9+.-]+:/i.test(artifactUri))) return undefined;
  const local = resolveStoreRoot(artifactUri);
  return (await isDirectory(local)) ? local : undefined;
}

function order(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
