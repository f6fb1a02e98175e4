import { ValidationError } from '../../domain/errors';
import { CpuSlice } from './cpu-slice';
import type { Dataset } from './dataset';
import { createLinearModel, type LinearModel, predict } from './linear-model';
import { rmse, r2 } from './metrics';
import { fitScaler, standardize, trainTestSplit } from './preprocessing';
import { fitRidge } from './ridge-regression';

/** The knobs of one training run. */
export interface Hyperparams {
  seed: number;
  epochs: number;
  learningRate: number;
  l2: number;
  testFraction: number;
}

export const DEFAULT_HYPERPARAMS: Readonly<Hyperparams> = { seed: 42, epochs: 200, learningRate: 0.05, l2: 0.001, testFraction: 0.2 };

export interface TrainingOutcome {
  model: LinearModel;
  /** Loss after each epoch (index = epoch). */
  lossHistory: number[];
  /** Held-out test metrics (`rmse`, `r2`) and training-split ones (`train_rmse`, `train_r2`). */
  metrics: { rmse: number; r2: number; train_rmse: number; train_r2: number };
  trainRows: number;
  testRows: number;
}

/**
 * The whole pure pipeline: seeded split → standardize on the train split → ridge by gradient descent →
 * metrics on both splits. No I/O, so TrainingJob and every ExperimentJob branch share it.
 *
 * Asynchronous only to stay interruptible: the epochs give the event loop a turn every few ms, and an
 * aborted `signal` stops them between two slices with JobInterruptedError (see cpu-slice.ts). The
 * result does not depend on when the pauses happen.
 *
 * @example
 * const outcome = await trainModel(await generateBikeDemand(42, 500), DEFAULT_HYPERPARAMS, { signal: job.signal });
 * outcome.metrics.rmse; // the same number on every machine for seed 42
 */
export async function trainModel(data: Dataset, hyperparams: Hyperparams, options: { signal?: AbortSignal } = {}): Promise<TrainingOutcome> {
  assertHyperparams(hyperparams);
  if (data.targets.length < 2) {
    throw new ValidationError(`Training needs at least 2 rows, got ${data.targets.length}.`, undefined, { details: { rows: data.targets.length } });
  }
  const slice = new CpuSlice(options.signal);
  slice.throwIfAborted();
  const { train, test } = await trainTestSplit(data, hyperparams.testFraction, hyperparams.seed, slice);
  const scaler = await fitScaler(train.features, slice);
  const fit = await fitRidge(await standardize(train.features, scaler, slice), train.targets, hyperparams, slice);
  const model = createLinearModel({
    featureNames: data.featureNames,
    target: data.target,
    weights: fit.weights,
    bias: fit.bias,
    scaler,
    hyperparams: { ...hyperparams },
  });
  const testPred = await predictInSlices(model, test.features, slice);
  const trainPred = await predictInSlices(model, train.features, slice);
  return {
    model,
    lossHistory: fit.lossHistory,
    metrics: {
      rmse: rmse(test.targets, testPred),
      r2: r2(test.targets, testPred),
      train_rmse: rmse(train.targets, trainPred),
      train_r2: r2(train.targets, trainPred),
    },
    trainRows: train.targets.length,
    testRows: test.targets.length,
  };
}

/** `predict` a block of rows at a time, with a turn of the event loop between blocks when one is due. */
async function predictInSlices(model: LinearModel, rows: readonly number[][], slice: CpuSlice): Promise<number[]> {
  const out: number[] = [];
  for (let start = 0; start < rows.length; start += 1024) {
    await slice.maybePause();
    out.push(...predict(model, rows.slice(start, start + 1024)));
  }
  return out;
}

/**
 * Reads hyperparams from a loose record (an experiment branch's config), filling defaults and
 * rejecting wrong types with a message naming the key.
 *
 * @example hyperparamsFrom({ l2: 0.1 }); // { seed: 42, epochs: 200, learningRate: 0.05, l2: 0.1, testFraction: 0.2 }
 */
export function hyperparamsFrom(config: Record<string, unknown>, defaults: Hyperparams = DEFAULT_HYPERPARAMS): Hyperparams {
  const out = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof Hyperparams)[]) {
    const value = config[key];
    if (value === undefined) continue;
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      throw new ValidationError(`Hyperparameter ${key} must be a number, got ${JSON.stringify(value)}.`, undefined, { details: { key } });
    }
    out[key] = n;
  }
  assertHyperparams(out);
  return out;
}

/** Throws ValidationError naming the first hyperparameter out of range. */
export function assertHyperparams(h: Hyperparams): void {
  const fail = (key: string, rule: string, value: number): never => {
    throw new ValidationError(`Hyperparameter ${key} must be ${rule}, got ${value}.`, undefined, { details: { key, value } });
  };
  if (!Number.isInteger(h.seed)) fail('seed', 'a whole number', h.seed);
  if (!Number.isInteger(h.epochs) || h.epochs < 1) fail('epochs', 'a whole number >= 1', h.epochs);
  if (!(h.learningRate > 0)) fail('learningRate', '> 0', h.learningRate);
  if (!(h.l2 >= 0)) fail('l2', '>= 0', h.l2);
  if (!(h.testFraction > 0 && h.testFraction < 1)) fail('testFraction', 'between 0 and 1 (exclusive)', h.testFraction);
}
