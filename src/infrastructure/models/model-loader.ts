import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ErrorCodes, errorCodeOf, ModelLoadError } from '../../domain/errors';
import { checkModelSize, DEFAULT_MAX_MODEL_BYTES } from '../../domain/model/model-size';
import type { ILogger } from '../../domain/ports/logger';
import type { IModelLoader, LoadedModel, ModelFlavorLoader } from '../../domain/ports/model-loader';
import type { IModelRegistry } from '../../domain/ports/model-registry';
import type { ITracker } from '../../domain/ports/tracker';
import { readMlmodel } from '../tracking/models/mlmodel-read';
import { FlavorLoaders } from './flavor-choice';
import { scoredModel } from './loaded-model';
import { localFileSizes } from './model-files';
import { resolveModelSource } from '../../application/serving/model-source';
import { MLOPS_KIT_FLAVOR_LOADER } from './mlops-kit-flavor';
import { ONNX_FLAVOR_LOADER } from './onnx';

/**
 * The flavors mlops-kit scores itself, in the order they are tried: ONNX (the format MLflow's Python side
 * scores too) before `mlops_kit`, so a model that declares both is scored by its ONNX graph.
 */
const BUILTIN_FLAVOR_LOADERS: readonly ModelFlavorLoader[] = [ONNX_FLAVOR_LOADER, MLOPS_KIT_FLAVOR_LOADER];

/**
 * What a {@link ModelLoader} is built from.
 *
 * @example const options: ModelLoaderOptions = { tracker, registry, flavors: [], logger, maxModelBytes: 64 * 1024 * 1024 };
 */
export interface ModelLoaderOptions {
  tracker: ITracker;
  registry: IModelRegistry;
  /** The app's own flavor loaders, tried before the built-in ones. */
  flavors?: readonly ModelFlavorLoader[];
  logger?: ILogger;
  /** The most a model's files may weigh, all together (any one file too). Default 512 MiB. */
  maxModelBytes?: number;
  /** Where the files are downloaded to, each load in a fresh directory removed once loaded. Default: the OS temp dir. */
  tmpDir?: string;
}

/**
 * Loads a model URI into memory: resolves `models:/name@alias` and `models:/name/N` through the registry
 * to the version's source, downloads the files into a fresh temp directory (removed as soon as the flavor
 * loader returns: loaders read what they need into memory), refuses a model over `maxModelBytes` by its
 * sizes before anything is read (MODEL_TOO_LARGE), reads the MLmodel and scores with the first loader
 * of a flavor it declares: the app's own, then `onnx`, then `mlops_kit`. No loader for any of its
 * flavors is MODEL_FLAVOR_UNSUPPORTED naming the flavors both sides know.
 *
 * @example
 * const loader = new ModelLoader({ tracker, registry, logger });
 * const model = await loader.load('models:/bike-demand/3');
 * const { prediction } = await model.predict([{ hour: 8, temperature: 21.5 }]);
 * await model.release();
 */
export class ModelLoader implements IModelLoader {
  private readonly flavors: FlavorLoaders;
  private readonly maxBytes: number;

  constructor(private readonly options: ModelLoaderOptions) {
    this.flavors = new FlavorLoaders([...(options.flavors ?? []), ...BUILTIN_FLAVOR_LOADERS], options.logger);
    this.maxBytes = options.maxModelBytes ?? DEFAULT_MAX_MODEL_BYTES;
  }

  async load(modelUri: string): Promise<LoadedModel> {
    const source = await resolveModelSource(this.options.registry, modelUri);
    const dir = await mkdtemp(path.join(this.options.tmpDir ?? os.tmpdir(), 'mlops-kit-model-'));
    try {
      const root = await this.download(modelUri, source.loadUri, dir);
      // again on disk: a store may not report sizes, and the listing is the store's word, not the bytes received
      checkModelSize(modelUri, await localFileSizes(root), this.maxBytes);
      const mlmodel = await readMlmodel(root);
      const modelId = source.modelId ?? mlmodel.modelId;
      const files = {
        uri: modelUri,
        dir: root,
        flavors: Object.keys(mlmodel.flavors),
        ...(mlmodel.signature !== undefined && { signature: mlmodel.signature }),
        ...(modelId !== undefined && { modelId }),
      };
      const { flavor, scorer } = await this.flavors.load(files, mlmodel.flavors);
      try {
        return scoredModel({ uri: modelUri, flavor, scorer, ...(files.signature && { signature: files.signature }), ...(modelId !== undefined && { modelId }) });
      } catch (error) {
        await scorer.release?.().catch(() => undefined);
        throw error;
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Downloads the files; a refusal by size names the URI asked for as well as the one downloaded. */
  private async download(modelUri: string, loadUri: string, dir: string): Promise<string> {
    try {
      return await this.options.tracker.downloadModel(loadUri, dir, { maxBytes: this.maxBytes });
    } catch (error) {
      if (errorCodeOf(error) !== ErrorCodes.MODEL_TOO_LARGE || loadUri === modelUri) throw error;
      const { details } = error as ModelLoadError;
      throw new ModelLoadError(`${modelUri}: ${(error as Error).message}`, ErrorCodes.MODEL_TOO_LARGE, { details: { ...details, modelUri, loadUri }, cause: error });
    }
  }
}
