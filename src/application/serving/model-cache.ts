import { ErrorCodes, ValidationError } from '../../domain/errors';
import { parseModelUri } from '../../domain/model/naming-rules';
import type { IModelLoader, LoadedModel } from '../../domain/ports/model-loader';

/**
 * One holder's share of a cached model: the model, and `release()` to give the share back (once; later
 * calls do nothing). The model is freed when its last share is released.
 *
 * @example const lease = await cache.acquire('models:/bike-demand/3'); await lease.model.predict(rows); await lease.release();
 */
export interface ModelLease {
  readonly model: LoadedModel;
  release(): Promise<void>;
}

interface Entry {
  readonly loading: Promise<LoadedModel>;
  holders: number;
}

/**
 * The runtime's one cache of loaded models, keyed by concrete URI (`models:/name/3`, `models:/m-…`,
 * `runs:/…`) and reference-counted: a version is loaded once however many predictors name it, holders
 * that ask while it loads share that one load, and the last release frees it. A load that fails is not
 * kept, so the next `acquire` tries again. Alias URIs are refused: what an alias names changes, so the
 * caller resolves it to a version first.
 *
 * @example
 * const cache = new ModelCache(() => loader);
 * const [a, b] = await Promise.all([cache.acquire('models:/bike-demand/3'), cache.acquire('models:/bike-demand/3')]); // one load
 * await a.release(); await b.release(); // freed
 */
export class ModelCache {
  private readonly entries = new Map<string, Entry>();

  /** `loader` is asked for on the first load, so a cache that never loads never builds one. */
  constructor(private readonly loader: () => IModelLoader) {}

  /** How many models are loaded or loading. */
  get size(): number {
    return this.entries.size;
  }

  /** A share of the model at `uri`, loading it unless it is loaded or loading; rejects with the load's error. */
  async acquire(uri: string): Promise<ModelLease> {
    if (parseModelUri(uri).kind === 'alias') {
      throw new ValidationError(`${uri} names an alias, whose version changes: resolve it to models:/<name>/<version> before caching the model.`, ErrorCodes.VALIDATION, {
        details: { uri },
      });
    }
    const entry = this.entries.get(uri) ?? this.startLoad(uri);
    entry.holders += 1;
    let model: LoadedModel;
    try {
      model = await entry.loading;
    } catch (error) {
      entry.holders -= 1;
      throw error;
    }
    let released: Promise<void> | undefined;
    return { model, release: () => (released ??= this.release(uri, entry, model)) };
  }

  private startLoad(uri: string): Entry {
    const entry: Entry = { loading: Promise.resolve().then(() => this.loader().load(uri)), holders: 0 };
    this.entries.set(uri, entry);
    // a failed load is forgotten at once, so the next acquire loads again
    entry.loading.catch(() => {
      if (this.entries.get(uri) === entry) this.entries.delete(uri);
    });
    return entry;
  }

  private async release(uri: string, entry: Entry, model: LoadedModel): Promise<void> {
    entry.holders -= 1;
    if (entry.holders > 0) return;
    if (this.entries.get(uri) === entry) this.entries.delete(uri);
    await model.release();
  }
}
