import { ErrorCodes, errorCodeOf, ModelLoadError, RuntimeClosedError, ValidationError } from '../../domain/errors';
import type { ModelInput, PredictionValue } from '../../domain/model/model-input';
import type { ModelReference } from '../../domain/model/model-version';
import { parseModelUri } from '../../domain/model/naming-rules';
import type { ILogger } from '../../domain/ports/logger';
import type { IModelRegistry } from '../../domain/ports/model-registry';
import { LoadFailures } from './load-failures';
import type { ModelCache, ModelLease } from './model-cache';
import { type ModelTarget, ServedVersion } from './served-version';
import { resolveModelSource } from './model-source';
import type { Predictor, PredictorInput, PredictorOptions, PredictorStatus, PredictResult } from './predictor-types';

/**
 * What a {@link ModelPredictor} is built from; the runtime builds it (`runtime.predictor(uri)`).
 *
 * @example const deps: PredictorDeps = { cache, registry: () => registry, prepare: async () => undefined, logger };
 */
export interface PredictorDeps {
  /** The runtime's shared cache: a version two predictors name is loaded once. */
  cache: ModelCache;
  registry: () => IModelRegistry;
  /** Starts what loading needs (tracker and registry) before each load; rejects once the runtime closes. */
  prepare: () => Promise<void>;
  logger: ILogger;
  now?: () => number;
}

const DEFAULT_REFRESH_MS = 30_000;
/** setInterval's largest delay; a longer one would fire at once. */
const MAX_REFRESH_MS = 2_147_483_647;

/**
 * The {@link Predictor} the runtime makes: the version it serves, one load in flight at a time, the
 * alias check on an unref'd timer (it never keeps a process alive), failures recorded once. Loads go
 * through the runtime's shared cache. `close()` is the runtime's: it stops the timer, lets running calls
 * finish and releases the model.
 *
 * @example
 * const predictor = new ModelPredictor<{ hour: number }, number>('models:/bike-demand@Champion', deps, { refreshMs: 10_000 });
 * await predictor.ready();
 * await predictor.close();
 */
export class ModelPredictor<Row extends object = Record<string, unknown>, P = PredictionValue> implements Predictor<Row, P> {
  readonly uri: string;
  private readonly reference: ModelReference;
  private readonly failures: LoadFailures;
  private readonly now: () => number;
  private serving: ServedVersion | undefined;
  private attempt: Promise<void> | undefined;
  private lastCheckedAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  constructor(uri: string, private readonly deps: PredictorDeps, options: PredictorOptions = {}) {
    this.reference = parseModelUri(uri);
    this.uri = uri;
    this.now = deps.now ?? Date.now;
    this.failures = new LoadFailures(uri, deps.logger, this.now);
    const refreshMs = checkedRefreshMs(options.refreshMs);
    if (this.reference.kind === 'alias' && refreshMs > 0) {
      this.timer = setInterval(() => void this.load().catch(() => undefined), refreshMs);
      this.timer.unref();
    }
    // the first load starts now, so the first request rarely waits
    void this.load().catch(() => undefined);
  }

  /** Scores rows or columns; MODEL_INPUT_INVALID for input the model does not take, MODEL_NOT_READY while nothing could be loaded. */
  async predict(input: PredictorInput<Row>): Promise<PredictResult<P>> {
    const serving = this.enter() ?? (await this.enterWhenLoaded());
    try {
      const outputs = await serving.loaded.predict(input as ModelInput);
      const first = serving.loaded.outputNames[0];
      const predictions = first === undefined ? undefined : outputs[first];
      if (predictions === undefined) {
        throw new ModelLoadError(`${serving.uri}: its ${serving.loaded.flavor} loader returned no output ${JSON.stringify(first)}.`, ErrorCodes.MODEL_LOAD_FAILED, { details: { modelUri: serving.uri } });
      }
      const { uri, model, version, modelId } = serving;
      return { predictions: predictions as P[], outputs, uri, ...(model !== undefined && { model }), ...(version !== undefined && { version }), ...(modelId !== undefined && { modelId }) };
    } finally {
      serving.leave();
    }
  }

  /** Resolves once a model is loaded; rejects with the first load's error (e.g. MODEL_ALIAS_NOT_FOUND), for apps that fail the deploy at boot. */
  async ready(): Promise<void> {
    if (this.serving !== undefined) return;
    this.assertOpen();
    await this.load();
    this.assertOpen();
  }

  /** Checks the alias now and swaps to the version it names; rejects with the failure (the current version keeps serving). */
  async refresh(): Promise<void> {
    this.assertOpen();
    await this.load();
  }

  /** What it serves, when it was loaded and checked, and the failure it has not recovered from. */
  status(): PredictorStatus {
    const s = this.serving;
    const lastError = this.failures.last;
    return {
      uri: this.uri,
      ...(s?.model !== undefined && { model: s.model }),
      ...(s?.version !== undefined && { version: s.version }),
      ...(s?.modelId !== undefined && { modelId: s.modelId }),
      ...(s !== undefined && { flavor: s.loaded.flavor, loadedAt: s.loadedAt }),
      ...(this.lastCheckedAt !== undefined && { lastCheckedAt: this.lastCheckedAt }),
      ...(lastError !== undefined && { lastError }),
    };
  }

  /** Stops the timer, lets a load in flight and the calls running finish, and releases the model. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    clearInterval(this.timer);
    // a load in flight sees the predictor closed and gives back what it loaded
    await this.attempt?.catch(() => undefined);
    const serving = this.serving;
    this.serving = undefined;
    await serving?.retire();
  }

  /** The serving version with this call counted on it, or undefined when none is loaded. */
  private enter(): ServedVersion | undefined {
    this.assertOpen();
    this.serving?.enter();
    return this.serving;
  }

  private async enterWhenLoaded(): Promise<ServedVersion> {
    try {
      await this.load();
    } catch (error) {
      if (this.closing !== undefined) throw this.closedError();
      throw new ModelLoadError(`${this.uri}: no model to serve yet: ${errorCodeOf(error) ?? ErrorCodes.MODEL_LOAD_FAILED}: ${error instanceof Error ? error.message : String(error)} The next call tries again.`, ErrorCodes.MODEL_NOT_READY, {
        details: { modelUri: this.uri, cause: errorCodeOf(error) },
        cause: error,
      });
    }
    const serving = this.enter();
    if (serving === undefined) throw this.closedError();
    return serving;
  }

  /** One load in flight at a time: callers that ask meanwhile share it. */
  private load(): Promise<void> {
    this.attempt ??= this.check().finally(() => (this.attempt = undefined));
    return this.attempt;
  }

  private async check(): Promise<void> {
    let loading: string | undefined;
    try {
      await this.deps.prepare();
      const target = await this.target();
      if (this.serving?.uri !== target.uri) {
        loading = target.uri;
        const lease = await this.deps.cache.acquire(target.uri);
        if (this.closing !== undefined) {
          await lease.release();
          return;
        }
        this.swap(target, lease);
      }
      this.failures.recovered(`serving ${describe(this.serving!)}`);
    } catch (error) {
      if (this.closing === undefined) this.failures.record(error, this.serving && `still serving ${describe(this.serving)}`, loading);
      throw error;
    }
  }

  /** What the URI names now: for an alias, the version the registry points it at (the check that counts as `lastCheckedAt`). */
  private async target(): Promise<ModelTarget> {
    const reference = this.reference;
    if (reference.kind === 'version') return { uri: this.uri, model: reference.name, version: reference.version };
    if (reference.kind !== 'alias') return { uri: this.uri, ...(reference.kind === 'logged-model' && { modelId: reference.modelId }) };
    try {
      const source = await resolveModelSource(this.deps.registry(), this.uri);
      return { uri: `models:/${source.model}/${source.version}`, model: source.model!, version: source.version!, ...(source.modelId !== undefined && { modelId: source.modelId }) };
    } finally {
      this.lastCheckedAt = this.now();
    }
  }

  private swap(target: ModelTarget, lease: ModelLease): void {
    const previous = this.serving;
    this.serving = new ServedVersion(target, lease, this.now(), (error) => {
      this.deps.logger.warn(`Predictor ${this.uri}: releasing ${target.uri} failed: ${error instanceof Error ? error.message : String(error)}`, { source: 'predictor', modelUri: this.uri });
    });
    this.deps.logger.info(`Predictor ${this.uri}: serving ${describe(this.serving)}${previous ? ` (was ${describe(previous)})` : ''}`, { source: 'predictor', modelUri: this.uri });
    // calls running on the previous version finish on it; it is released after the last
    void previous?.retire();
  }

  private assertOpen(): void {
    if (this.closing !== undefined) throw this.closedError();
  }

  private closedError(): RuntimeClosedError {
    return new RuntimeClosedError(`The predictor for ${this.uri} is closed (its runtime closed): get a new one with runtime.predictor() once the runtime is started again.`);
  }
}

function describe(serving: ModelTarget): string {
  return serving.version !== undefined ? `version ${serving.version}` : serving.uri;
}

function checkedRefreshMs(refreshMs: number | undefined): number {
  const value = refreshMs ?? DEFAULT_REFRESH_MS;
  if (!Number.isInteger(value) || value < 0 || value > MAX_REFRESH_MS) {
    throw new ValidationError(`Predictor refreshMs: expected a whole number of milliseconds from 0 (refresh() only) to ${MAX_REFRESH_MS}, got ${String(refreshMs)}.`, ErrorCodes.VALIDATION, {
      details: { refreshMs },
    });
  }
  return value;
}
