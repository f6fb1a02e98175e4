import type { ErrorCode } from '../../domain/errors';
import type { ModelOutputs, PredictionValue } from '../../domain/model/model-input';

/**
 * What a predictor scores: rows (one object per row) or columns (one array per column), typed by the
 * app's row type. Checked at run time against the model's signature all the same.
 *
 * @example
 * type BikeRow = { hour: number; temperature: number };
 * const rows: PredictorInput<BikeRow> = [{ hour: 8, temperature: 21.5 }];
 * const columns: PredictorInput<BikeRow> = { hour: [8, 9], temperature: [21.5, 22] };
 */
export type PredictorInput<Row extends object = Record<string, unknown>> = readonly Row[] | { readonly [K in keyof Row]: readonly Row[K][] };

/**
 * What `predictor.predict` returns: `predictions` (the model's first output, one per row), every output
 * by name, and which model answered: the concrete URI (`models:/bike-demand/4` for an alias), the
 * registered model and version when the URI names one, the logged model when known.
 *
 * @example const { predictions, version }: PredictResult<number> = await predictor.predict(rows);
 */
export interface PredictResult<P = PredictionValue> {
  /** The model's first output, one per input row. */
  predictions: P[];
  /** Every output of the model by name (the first is `predictions`). */
  outputs: ModelOutputs;
  /** The concrete URI of the model that answered: `models:/bike-demand/4` for `models:/bike-demand@Champion`. */
  uri: string;
  /** The registered model, when the URI names one. */
  model?: string;
  /** The registered version that answered, when the URI names a registered model. */
  version?: number;
  /** The logged model (`m-…`) that answered, when known. */
  modelId?: string;
}

/**
 * Options of a predictor, applied when it is created.
 *
 * @example runtime.predictor('models:/bike-demand@Champion', { refreshMs: 10_000 });
 */
export interface PredictorOptions {
  /** How often an alias is checked for a new version, in ms. Default 30 000; 0 checks only on `refresh()`. */
  refreshMs?: number;
}

/**
 * A failure a predictor recovered from, or has not yet: its stable code, its message and when (ms since
 * the epoch) it last happened.
 *
 * @example if (status.lastError?.code === 'TRACKER_UNAVAILABLE') alertOps(status.lastError.message);
 */
export interface PredictorError {
  /** The stable code, e.g. TRACKER_UNAVAILABLE, MODEL_ALIAS_NOT_FOUND, MODEL_LOAD_FAILED. */
  code: ErrorCode;
  /** One line saying what failed, where and how to fix it. */
  message: string;
  /** When it last happened, in ms since the epoch. */
  at: number;
}

/**
 * What a predictor serves, for a health endpoint: its URI, the model and version loaded (undefined until
 * the first load succeeds), its flavor, when it was loaded and when the registry was last checked (ms
 * since the epoch), and the last failure while it has not recovered from it.
 *
 * @example app.get('/health/model', (_req, res) => res.json(predictor.status()));
 */
export interface PredictorStatus {
  /** The URI the predictor was made for. */
  uri: string;
  /** The registered model it serves, when the URI names one. */
  model?: string;
  /** The version it serves (an alias resolved); undefined until a model is loaded. */
  version?: number;
  /** The logged model (`m-…`) it serves, when known. */
  modelId?: string;
  /** The flavor scoring it, e.g. `onnx`. */
  flavor?: string;
  /** When the version it serves was loaded, in ms since the epoch. */
  loadedAt?: number;
  /** When the registry was last asked where the alias points (alias URIs only), in ms since the epoch. */
  lastCheckedAt?: number;
  /** The latest failure, while it has not recovered (the next successful check clears it). */
  lastError?: PredictorError;
}

/**
 * A long-lived scorer for one model URI, owned by the runtime (`runtime.predictor(uri)`): for
 * `models:/name@alias` it follows the alias (checked every `refreshMs` and on `refresh()`), swapping to a
 * new version once it has loaded while calls already running finish on the old one; a version that fails
 * to load leaves the current one serving and shows in `status().lastError`. Any other URI loads once.
 * Safe to call concurrently. The runtime closes it (`runtime.close()`); after that its calls reject with
 * RuntimeClosedError.
 *
 * @example
 * const predictor: Predictor<{ hour: number; temperature: number }, number> = runtime.predictor('models:/bike-demand@Champion');
 * const { predictions } = await predictor.predict({ hour: [8, 9], temperature: [21.5, 22] });
 */
export interface Predictor<Row extends object = Record<string, unknown>, P = PredictionValue> {
  /** The URI it was made for, e.g. `models:/bike-demand@Champion`. */
  readonly uri: string;
  /**
   * Scores rows or columns with the version it serves; waits for the first load. MODEL_INPUT_INVALID for
   * input the model does not take (a 400), MODEL_NOT_READY when nothing could be loaded yet (a 503; the
   * next call tries again).
   */
  predict(input: PredictorInput<Row>): Promise<PredictResult<P>>;
  /** Resolves once a model is loaded; rejects with the load's own error (e.g. MODEL_ALIAS_NOT_FOUND), to fail a deploy at boot. */
  ready(): Promise<void>;
  /** Checks the alias now and resolves once it serves the version the alias names; rejects with the failure while the current version keeps serving. */
  refresh(): Promise<void>;
  /** What it serves, when it was loaded and checked, and the failure it has not recovered from. */
  status(): PredictorStatus;
}
