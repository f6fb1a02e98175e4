import { ModelLoadError } from '../../domain/errors';
import type { ILogger } from '../../domain/ports/logger';
import type { IModelLoader, LoadedModel, ModelFlavorLoader } from '../../domain/ports/model-loader';
import type { IModelRegistry } from '../../domain/ports/model-registry';
import type { ITracker } from '../../domain/ports/tracker';

/**
 * What a {@link ModelLoader} is built from.
 *
 * @example const options: ModelLoaderOptions = { tracker, registry, flavors: [], logger };
 */
export interface ModelLoaderOptions {
  tracker: ITracker;
  registry: IModelRegistry;
  /** The app's own flavor loaders, tried before the built-in ones. */
  flavors?: readonly ModelFlavorLoader[];
  logger?: ILogger;
}

/**
 * PLACEHOLDER: replaced by the real loader.
 *
 * @example const loader = new ModelLoader({ tracker, registry });
 */
export class ModelLoader implements IModelLoader {
  constructor(private readonly options: ModelLoaderOptions) {}

  async load(modelUri: string): Promise<LoadedModel> {
    void this.options;
    throw new ModelLoadError(`${modelUri}: not implemented yet`);
  }
}
