import type { PredictionValue } from '../../domain/model/model-input';
import type { IModelLoader } from '../../domain/ports/model-loader';
import { ModelCache } from './model-cache';
import { isCallersMistake, ModelPredictor, type PredictorDeps } from './predictor';
import type { Predictor, PredictorOptions, PredictorStatus } from './predictor-types';

/**
 * A runtime's predictors, one per URI, over one model cache: `get` returns the predictor already made for
 * a URI (its options are those it was made with) or makes it; one whose first load finds nothing to serve
 * (no such model or alias) is dropped, so the next `get` asks again; `close` closes them all and forgets
 * them, so the next `get` makes fresh ones.
 *
 * @example
 * const pool = new PredictorPool(() => loader, { registry: () => registry, prepare: async () => undefined, logger });
 * const predictor = pool.get('models:/bike-demand@Champion');
 * await pool.close();
 */
export class PredictorPool {
  private readonly predictors = new Map<string, ModelPredictor<object, unknown>>();
  private readonly cache: ModelCache;

  constructor(
    loader: () => IModelLoader,
    private readonly deps: Omit<PredictorDeps, 'cache'>,
  ) {
    this.cache = new ModelCache(loader);
  }

  get<Row extends object = Record<string, unknown>, P = PredictionValue>(uri: string, options?: PredictorOptions): Predictor<Row, P> {
    let predictor = this.predictors.get(uri);
    if (predictor === undefined) {
      const made = new ModelPredictor(uri, { ...this.deps, cache: this.cache }, options);
      this.predictors.set(uri, made);
      // one that never served and names nothing servable is not kept: a backend asked for ten thousand
      // made-up model names must not keep ten thousand predictors (and their registry checks) alive
      made.ready().catch((error: unknown) => {
        if (!isCallersMistake(error) || this.predictors.get(uri) !== made) return;
        this.predictors.delete(uri);
        void made.close();
      });
      predictor = made;
    }
    return predictor as Predictor<Row, P>;
  }

  /** Every predictor's status, in the order they were made. */
  statuses(): PredictorStatus[] {
    return [...this.predictors.values()].map((predictor) => predictor.status());
  }

  /** Closes every predictor (each waits for its running calls, then releases its model). */
  async close(): Promise<void> {
    const closing = [...this.predictors.values()].map((predictor) => predictor.close());
    this.predictors.clear();
    await Promise.all(closing);
  }
}
