import type { LoadedModel } from '../../domain/ports/model-loader';
import type { ModelLease } from './model-cache';

/**
 * What a predictor's URI names at one moment: the concrete URI to load (`models:/name/4` for an alias)
 * and the registered model, version and logged model it is.
 *
 * @example const target: ModelTarget = { uri: 'models:/bike-demand/4', model: 'bike-demand', version: 4 };
 */
export interface ModelTarget {
  readonly uri: string;
  readonly model?: string;
  readonly version?: number;
  readonly modelId?: string;
}

/**
 * A loaded version as a predictor serves it, counting the calls running on it: once retired (swapped
 * out, or the predictor closed) it takes no new calls and gives its share back to the cache after the
 * last running one ends, never under it.
 *
 * @example
 * const served = new ServedVersion(target, lease, Date.now(), (error) => logger.warn(String(error)));
 * served.enter(); try { await served.model.predict(rows); } finally { served.leave(); }
 * await served.retire(); // released: no call was running
 */
export class ServedVersion implements ModelTarget {
  readonly uri: string;
  readonly model?: string;
  readonly version?: number;
  readonly modelId?: string;
  private calls = 0;
  private retired = false;
  private released: Promise<void> | undefined;
  private readonly freed: Promise<void>;
  private markFreed!: () => void;

  constructor(
    target: ModelTarget,
    private readonly lease: ModelLease,
    readonly loadedAt: number,
    private readonly onReleaseError: (error: unknown) => void,
  ) {
    this.uri = target.uri;
    const modelId = target.modelId ?? lease.model.modelId;
    if (target.model !== undefined) this.model = target.model;
    if (target.version !== undefined) this.version = target.version;
    if (modelId !== undefined) this.modelId = modelId;
    this.freed = new Promise<void>((resolve) => (this.markFreed = resolve));
  }

  /** The loaded model. */
  get loaded(): LoadedModel {
    return this.lease.model;
  }

  /** Counts a call starting on this version. */
  enter(): void {
    this.calls += 1;
  }

  /** Counts a call ending; the last one on a retired version releases it. */
  leave(): void {
    this.calls -= 1;
    if (this.retired && this.calls === 0) this.free();
  }

  /** Takes no new calls from its predictor; resolves once released (at once when no call runs on it). */
  retire(): Promise<void> {
    this.retired = true;
    if (this.calls === 0) this.free();
    return this.freed;
  }

  private free(): void {
    this.released ??= this.lease.release().catch(this.onReleaseError).finally(this.markFreed);
  }
}
