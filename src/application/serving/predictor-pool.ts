import type { PredictionValue } from '../../domain/model/model-input';
import type { IModelLoader } from '../../domain/ports/model-loader';
import { ModelCache } from './model-cache';
import { ModelPredictor, type PredictorDeps } from './predictor';
import type { Predictor, PredictorOptions, PredictorStatus } from './predictor-types';

/**
 * A runtime's predictors, one per URI, over one model cache: `get` returns the predictor already made for
 * a URI (its options are those it was made with) or makes it; `close` closes them all and forgets them,
 * so the next `get` makes fresh ones.
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
      predictor = new ModelPredictor(uri, { ...this.deps, cache: this.cache }, options);
      this.predictors.set(uri, predictor);
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
