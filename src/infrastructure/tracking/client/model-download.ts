import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCodes, NotFoundError, ValidationError } from '../../../domain/errors';
import type { ArtifactInfo } from '../../../domain/model/artifact';
import { parseModelUri } from '../../../domain/model/naming-rules';
import { checkModelSize, type ModelFileSize } from '../../../domain/model/model-size';
import type { Run } from '../../../domain/model/run';
import type { DownloadModelOptions } from '../../../domain/ports/tracker';
import type { ArtifactStore } from '../shared/artifact-store';
import { MLMODEL_FILE } from '../models/mlmodel-file';
import { parseMlmodel } from '../models/mlmodel-read';
import type { TrackingStore } from './tracking-store';

/**
 * Where a model URI's files are: `models:/m-<id>` → the logged model's artifact location; `runs:/<id>/<path>`
 * → the run's logged model of that name, else under the run's artifact root; any other URI (`mlflow-artifacts:/…`, `s3://…`, `file:///…`, the
 * source of a version registered from run artifacts) is the location itself. A registered model URI
 * (`models:/name@alias`) needs the registry first: resolve it to its version's source.
 *
 * @example const root = await modelLocation(store, (id) => client.getRun(id), 'models:/m-0123…');
 */
export async function modelLocation(store: TrackingStore, getRun: (runId: string) => Promise<Run>, modelUri: string): Promise<string> {
  if (!/^(models|runs):/.test(modelUri)) return modelUri;
  const reference = parseModelUri(modelUri);
  switch (reference.kind) {
    case 'logged-model': {
      if (store.loggedModels === undefined || !(await store.loggedModels.supported())) {
        throw new NotFoundError(`${modelUri}: ${store.description} keeps no logged models (an MLflow 2.x server); load the model by its runs:/ URI.`, ErrorCodes.MODEL_NOT_FOUND, {
          details: { modelUri },
        });
      }
      return (await store.loggedModels.get(reference.modelId)).artifactUri;
    }
    case 'run':
      return runModelLocation(store, await getRun(reference.runId), reference.path);
    default:
      throw new ValidationError(
        `${modelUri} names a registered model: resolve it with the registry (getVersionByAlias / getModelVersion) and download the version's source. The tracker loads models:/m-<id>, runs:/<run id>/<path> and artifact URIs.`,
        ErrorCodes.VALIDATION,
        { details: { modelUri } },
      );
  }
}

/**
 * `runs:/<run>/<path>` as MLflow 3 reads it: when the run logged a model named like the path's first
 * segment, the files are that logged model's; otherwise they are the run's own artifacts (MLflow 2.x).
 */
async function runModelLocation(store: TrackingStore, run: Run, artifactPath: string): Promise<string> {
  const [first, ...rest] = artifactPath.split('/');
  for (const output of run.outputs?.modelOutputs ?? []) {
    const model = await store.loggedModels!.get(output.modelId);
    if (model.name === first) return [model.artifactUri.replace(/\/+$/, ''), ...rest].join('/');
  }
  return `${run.info.artifactUri.replace(/\/+$/, '')}/${artifactPath}`;
}

/**
 * Downloads everything under `location` into `destDir` and returns `destDir`. With `maxBytes`, every file
 * is listed first and a model over the bound is refused by its listed sizes, before any download. An
 * MLmodel file, when there is one, must parse: a broken one is reported now, naming the model, rather
 * than when it is used.
 *
 * @example const dir = await downloadModelFiles(store, 'models:/m-0123…', root, '/tmp/model', { maxBytes: 512 * 1024 * 1024 });
 */
export async function downloadModelFiles(store: TrackingStore, modelUri: string, location: string, destDir: string, options: DownloadModelOptions = {}): Promise<string> {
  const artifacts = store.artifactStore(location);
  const files = await artifacts.list('');
  if (files.length === 0) {
    throw new NotFoundError(`${modelUri}: no files at ${location}; was the model logged completely?`, ErrorCodes.ARTIFACT_NOT_FOUND, { details: { modelUri, location } });
  }
  if (options.maxBytes !== undefined) checkModelSize(modelUri, await filesBelow(artifacts, files), options.maxBytes);
  await artifacts.download('', destDir);
  const mlmodel = path.join(destDir, MLMODEL_FILE);
  const text = await readFile(mlmodel, 'utf8').catch(() => undefined);
  if (text !== undefined) parseMlmodel(text, `${modelUri} ${MLMODEL_FILE}`);
  return destDir;
}

/** Every file below a listing, with the size the store reports (a store that reports none counts 0: the files are checked again on disk). */
async function filesBelow(artifacts: ArtifactStore, listing: readonly ArtifactInfo[]): Promise<ModelFileSize[]> {
  const files: ModelFileSize[] = [];
  for (const entry of listing) {
    if (entry.isDir) files.push(...(await filesBelow(artifacts, await artifacts.list(entry.path))));
    else files.push({ path: entry.path, bytes: entry.fileSize ?? 0 });
  }
  return files;
}
