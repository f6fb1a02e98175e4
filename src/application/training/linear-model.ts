import { ValidationError } from '../../domain/errors';
import type { Scaler } from './preprocessing';

/** Identifies the JSON written as `model/model.json`, so a reader can refuse a file it does not understand. */
export const LINEAR_MODEL_FORMAT = 'mlops-kit/linear-regression';
export const LINEAR_MODEL_FORMAT_VERSION = 1;

/**
 * A fitted linear model as stored in the run's artifacts: weights apply to standardized features,
 * so the feature means and standard deviations travel with it.
 */
export interface LinearModel {
  format: typeof LINEAR_MODEL_FORMAT;
  formatVersion: number;
  featureNames: string[];
  target: string;
  weights: number[];
  bias: number;
  featureMeans: number[];
  featureStds: number[];
  hyperparams: Record<string, number>;
}

export function createLinearModel(args: {
  featureNames: string[];
  target: string;
  weights: number[];
  bias: number;
  scaler: Scaler;
  hyperparams: Record<string, number>;
}): LinearModel {
  return {
    format: LINEAR_MODEL_FORMAT,
    formatVersion: LINEAR_MODEL_FORMAT_VERSION,
    featureNames: [...args.featureNames],
    target: args.target,
    weights: [...args.weights],
    bias: args.bias,
    featureMeans: [...args.scaler.means],
    featureStds: [...args.scaler.stds],
    hyperparams: { ...args.hyperparams },
  };
}

/**
 * Predicts for raw (unstandardized) rows whose columns follow `model.featureNames`.
 *
 * @example predict(model, [[8, 21.5, 0.4, 10, 1, 0, 1]]); // [≈ 300]
 */
export function predict(model: LinearModel, rows: readonly number[][]): number[] {
  return rows.map((row) =>
    row.reduce((sum, x, j) => sum + model.weights[j]! * ((x - model.featureMeans[j]!) / model.featureStds[j]!), model.bias),
  );
}

/** The file a linear model is saved as, at the root of its model directory (the `mlops_kit` flavor's data). */
export const MODEL_FILE = 'model.json';

/** The `mlops_kit` flavor's loader name for a linear model. */
export const LINEAR_MODEL_LOADER = 'linear-regression';

/** Pretty JSON with a trailing newline: stable bytes for the same model. */
export function serializeModel(model: LinearModel): string {
  return JSON.stringify(model, null, 2) + '\n';
}

/** Parses and checks `model.json`; `source` names the file in the error when it is not a model this code wrote. */
export function parseModel(text: string, source: string): LinearModel {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`${source}: not valid JSON (${(error as Error).message}); expected a model.json written by TrainingJob.`, undefined, {
      details: { file: source },
    });
  }
  const m = value as Partial<LinearModel> | null;
  const width = m?.featureNames?.length;
  const ok =
    m !== null &&
    typeof m === 'object' &&
    m.format === LINEAR_MODEL_FORMAT &&
    Array.isArray(m.featureNames) &&
    width !== undefined &&
    [m.weights, m.featureMeans, m.featureStds].every((a) => Array.isArray(a) && a.length === width && a.every(Number.isFinite)) &&
    Number.isFinite(m.bias);
  if (!ok) {
    throw new ValidationError(
      `${source}: not a ${LINEAR_MODEL_FORMAT} model (needs format, featureNames and matching weights/featureMeans/featureStds); was it written by TrainingJob?`,
      undefined,
      { details: { file: source } },
    );
  }
  return m as LinearModel;
}
