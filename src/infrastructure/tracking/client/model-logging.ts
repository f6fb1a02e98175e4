import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ErrorCodes, ValidationError } from '../../../domain/errors';
import type { DatasetInput, LogModelFields, LogModelRequest, LoggedModel } from '../../../domain/model/logged-model';
import { assertValidKey } from '../../../domain/model/naming-rules';
import type { RunInfo } from '../../../domain/model/run';
import { kitVersion } from '../../kit-version';
import { logModelJson, MLOPS_KIT_FLAVOR } from '../models/mlmodel-file';
import { checkedSource } from '../models/model-source';
import { ONNX_MODEL_FILE, onnxFlavors, writeOnnxEnvFiles } from '../models/onnx-model-files';
import { saveMlmodel, type SaveMlmodelOptions } from '../models/save-mlmodel';
import { normalizeArtifactPath } from '../shared/artifact-paths';
import type { LoggedModelStore } from './logged-model-store';
import type { TrackingStore } from './tracking-store';

/** What logging one model needs from the client: the store, the run, its clock, and its value rules. */
export interface ModelLoggingContext {
  store: TrackingStore;
  run: RunInfo;
  clock: () => number;
  /** The client's param rule (validation, truncation), so a model's params follow the run's. */
  param: (key: string, value: string | number | boolean) => string;
  /** The client's tag rule. */
  tag: (key: string, value: string) => string;
}

/** A request whose ONNX model, if any, is already the bytes of `model.onnx`. */
type PreparedRequest = LogModelFields & { onnx?: Uint8Array };

/**
 * Logs a model for a run: the request's files plus an MLmodel file (and `input_example.json`) at the
 * model's root. With `onnx`, also `model.onnx`, the `onnx` and `python_function` flavors and MLflow's
 * environment files (`requirements.txt`, `python_env.yaml`, `conda.yaml`), as `mlflow.onnx.log_model`
 * leaves them; the graph is encoded (and checked) before anything is created on the server.
 *
 * Where the store has logged models (MLflow 3, local, memory) it creates one, uploads to its artifact
 * location, finalises it READY and records it as the run's output; a failure on the way marks it FAILED. On an MLflow 2.x server the files become run artifacts under `request.name`, recorded
 * with `runs/log-model` as MLflow 2.x does, and the model loads from `runs:/<run>/<name>`.
 *
 * @example const model = await logModel({ store, run, clock: Date.now, param, tag }, { name: 'model', path: dir });
 */
export async function logModel(context: ModelLoggingContext, request: LogModelRequest): Promise<LoggedModel> {
  const name = checkedName(request.name);
  const prepared: PreparedRequest = { ...request, name, onnx: await checkedSource(request) };
  const params = Object.fromEntries(Object.entries(request.params ?? {}).map(([key, value]) => [key, context.param(key, value)]));
  const tags = Object.fromEntries(Object.entries(request.tags ?? {}).map(([key, value]) => [key, context.tag(key, value)]));
  const models = context.store.loggedModels;
  if (models !== undefined && (await models.supported())) return logAsLoggedModel(context, models, prepared, params, tags);
  return logAsRunArtifacts(context, prepared, params, tags);
}

async function logAsLoggedModel(
  context: ModelLoggingContext,
  models: LoggedModelStore,
  request: PreparedRequest,
  params: Record<string, string>,
  tags: Record<string, string>,
): Promise<LoggedModel> {
  const { run } = context;
  const pending = await models.create({
    experimentId: run.experimentId,
    name: request.name,
    sourceRunId: run.runId,
    ...(request.modelType !== undefined && { modelType: request.modelType }),
    params,
    tags,
  });
  const modelId = pending.modelId!;
  try {
    await uploadModelFiles(context, request, { artifactUri: pending.artifactUri }, modelId);
    // the output first: a model is READY only once nothing more can fail
    await models.logOutputs(run.runId, [{ modelId, step: 0 }]);
    return await models.finalize(modelId, 'READY');
  } catch (error) {
    await models.finalize(modelId, 'FAILED').catch(() => undefined);
    throw error;
  }
}

async function logAsRunArtifacts(
  context: ModelLoggingContext,
  request: PreparedRequest,
  params: Record<string, string>,
  tags: Record<string, string>,
): Promise<LoggedModel> {
  const { run } = context;
  const artifactUri = `${run.artifactUri.replace(/\/+$/, '')}/${request.name}`;
  const now = context.clock();
  // through the run's own artifact root, so a spill layer knows whose files they are
  const saved = await uploadModelFiles(context, request, { artifactUri: run.artifactUri, path: request.name }, undefined);
  // MLflow 2.x's own record of it, which its UI lists as the run's model
  const { inputExample: _example, ...fields } = saved; // the history entry has no example (Model.get_tags_dict)
  await context.store.loggedModels?.recordRunModel?.(run.runId, logModelJson(fields));
  return {
    name: request.name,
    experimentId: run.experimentId,
    sourceRunId: run.runId,
    artifactUri,
    modelUri: `runs:/${run.runId}/${request.name}`,
    status: 'READY',
    creationTimestamp: now,
    lastUpdatedTimestamp: now,
    ...(request.modelType !== undefined && { modelType: request.modelType }),
    params,
    tags,
  };
}

/**
 * Copies the request's files to a staging dir, makes it an MLflow model there (model.onnx, MLmodel,
 * input example, size, environment files) and uploads it: the caller's directory is never written to.
 */
async function uploadModelFiles(
  context: ModelLoggingContext,
  request: PreparedRequest,
  target: { artifactUri: string; path?: string },
  modelId: string | undefined,
): Promise<SaveMlmodelOptions> {
  const staging = await mkdtemp(path.join(os.tmpdir(), 'mlops-kit-model-'));
  try {
    if (request.path !== undefined) await cp(request.path, staging, { recursive: true });
    if (request.onnx !== undefined) await writeFile(path.join(staging, ONNX_MODEL_FILE), request.onnx);
    const flavors: Record<string, Record<string, unknown>> = { ...request.flavors, ...(request.onnx !== undefined && onnxFlavors()) };
    if (request.loader !== undefined) {
      flavors[MLOPS_KIT_FLAVOR] = { loader: request.loader, mlops_kit_version: kitVersion(), ...(request.data !== undefined && { data: request.data }) };
    }
    const options: SaveMlmodelOptions = {
      // MLflow 3 writes the logged model's location here; 2.x the model's path in its run
      artifactPath: modelId !== undefined ? target.artifactUri : request.name,
      ...(modelId !== undefined && { modelId }),
      runId: context.run.runId,
      modelUuid: modelId ?? randomUUID().replace(/-/g, ''),
      createdAt: context.clock(),
      flavors,
      ...(request.signature !== undefined && { signature: request.signature }),
      ...(request.inputExample !== undefined && request.inputExample.length > 0 && { inputExample: request.inputExample }),
    };
    await saveMlmodel(staging, options);
    if (request.onnx !== undefined) await writeOnnxEnvFiles(staging);
    await context.store.artifactStore(target.artifactUri).upload(staging, target.path);
    return options;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Dataset inputs are checked like any logged value before a store sees them: a name and a digest, and
 * valid tag keys.
 *
 * @example checkDatasetInputs([{ dataset, tags: { 'mlflow.data.context': 'training' } }]);
 */
export function checkDatasetInputs(inputs: DatasetInput[]): void {
  for (const input of inputs) {
    const { name, digest, sourceType, source } = input.dataset ?? {};
    for (const [field, value] of Object.entries({ name, digest, sourceType, source })) {
      if (typeof value !== 'string' || value === '') {
        throw new ValidationError(`Dataset input needs a non-empty ${field} (got ${JSON.stringify(value)}).`, ErrorCodes.VALIDATION, { details: { field, dataset: name } });
      }
    }
    for (const key of Object.keys(input.tags ?? {})) assertValidKey('tag', key);
  }
}

function checkedName(name: string): string {
  const normalized = normalizeArtifactPath(name);
  if (normalized === '' || normalized.includes('/')) {
    throw new ValidationError(`Invalid model name ${JSON.stringify(name)}: use one path segment such as "model".`, ErrorCodes.VALIDATION, { details: { name } });
  }
  assertValidKey('tag', normalized);
  return normalized;
}
