import type { Dataset } from './dataset';
import { mulberry32, shuffled } from './prng';

/** Per-feature mean and standard deviation, learnt on the training split and reused at inference. */
export interface Scaler {
  means: number[];
  stds: number[];
}

/**
 * Splits rows into train and test after a seeded shuffle: `testFraction` of the rows (at least one,
 * at most all but one) are held out. Same seed, same split.
 *
 * @example const { train, test } = trainTestSplit(data, 0.2, 42);
 */
export function trainTestSplit(data: Dataset, testFraction: number, seed: number): { train: Dataset; test: Dataset } {
  const n = data.targets.length;
  const order = shuffled(
    data.targets.map((_, i) => i),
    // offset the seed so the split is not correlated with a dataset generated from the same seed
    mulberry32(seed ^ 0x5eed),
  );
  const testSize = Math.min(n - 1, Math.max(1, Math.round(n * testFraction)));
  const pick = (indexes: number[]): Dataset => ({
    featureNames: data.featureNames,
    target: data.target,
    features: indexes.map((i) => data.features[i]!),
    targets: indexes.map((i) => data.targets[i]!),
  });
  return { test: pick(order.slice(0, testSize)), train: pick(order.slice(testSize)) };
}

/** Learns a Scaler from rows. A constant column gets std 1 so it standardizes to 0 instead of NaN. */
export function fitScaler(features: readonly number[][]): Scaler {
  const n = features.length;
  const width = features[0]?.length ?? 0;
  const means = Array.from({ length: width }, (_, j) => features.reduce((a, row) => a + row[j]!, 0) / n);
  const stds = means.map((mean, j) => {
    const sd = Math.sqrt(features.reduce((a, row) => a + (row[j]! - mean) ** 2, 0) / n);
    return sd > 1e-12 ? sd : 1;
  });
  return { means, stds };
}

/** `(x - mean) / std` for every cell. */
export function standardize(features: readonly number[][], scaler: Scaler): number[][] {
  return features.map((row) => row.map((x, j) => (x - scaler.means[j]!) / scaler.stds[j]!));
}
