import { CpuSlice } from './cpu-slice';
import type { Dataset } from './dataset';
import { mulberry32, shuffled } from './prng';

/** Per-feature mean and standard deviation, learnt on the training split and reused at inference. */
export interface Scaler {
  means: number[];
  stds: number[];
}

/** Rows between two looks at the clock in the passes below (see cpu-slice.ts). */
const CHECK_EVERY = 1024;

/**
 * Splits rows into train and test after a seeded shuffle: `testFraction` of the rows (at least one,
 * at most all but one) are held out. Same seed, same split. Yields to the event loop every few ms.
 *
 * @example const { train, test } = await trainTestSplit(data, 0.2, 42);
 */
export async function trainTestSplit(data: Dataset, testFraction: number, seed: number, slice = new CpuSlice()): Promise<{ train: Dataset; test: Dataset }> {
  const n = data.targets.length;
  const order = shuffled(
    data.targets.map((_, i) => i),
    // offset the seed so the split is not correlated with a dataset generated from the same seed
    mulberry32(seed ^ 0x5eed),
  );
  await slice.maybePause();
  const testSize = Math.min(n - 1, Math.max(1, Math.round(n * testFraction)));
  const pick = async (indexes: number[]): Promise<Dataset> => {
    const features: number[][] = [];
    const targets: number[] = [];
    for (let k = 0; k < indexes.length; k++) {
      if (k % CHECK_EVERY === CHECK_EVERY - 1 && slice.due()) await slice.pause();
      features.push(data.features[indexes[k]!]!);
      targets.push(data.targets[indexes[k]!]!);
    }
    return { featureNames: data.featureNames, target: data.target, features, targets };
  };
  return { test: await pick(order.slice(0, testSize)), train: await pick(order.slice(testSize)) };
}

/**
 * Learns a Scaler from rows. A constant column gets std 1 so it standardizes to 0 instead of NaN.
 * Each column's sums run over the rows in order, so the result is the same bit for bit as a column-wise pass.
 *
 * @example const scaler = await fitScaler(train.features);
 */
export async function fitScaler(features: readonly number[][], slice = new CpuSlice()): Promise<Scaler> {
  const n = features.length;
  const width = features[0]?.length ?? 0;
  const sums = new Array<number>(width).fill(0);
  for (let i = 0; i < n; i++) {
    if (i % CHECK_EVERY === CHECK_EVERY - 1 && slice.due()) await slice.pause();
    const row = features[i]!;
    for (let j = 0; j < width; j++) sums[j]! += row[j]!;
  }
  const means = sums.map((sum) => sum / n);
  const squares = new Array<number>(width).fill(0);
  for (let i = 0; i < n; i++) {
    if (i % CHECK_EVERY === CHECK_EVERY - 1 && slice.due()) await slice.pause();
    const row = features[i]!;
    for (let j = 0; j < width; j++) squares[j]! += (row[j]! - means[j]!) ** 2;
  }
  const stds = squares.map((square) => {
    const sd = Math.sqrt(square / n);
    return sd > 1e-12 ? sd : 1;
  });
  return { means, stds };
}

/** `(x - mean) / std` for every cell, yielding to the event loop every few ms. */
export async function standardize(features: readonly number[][], scaler: Scaler, slice = new CpuSlice()): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < features.length; i++) {
    if (i % CHECK_EVERY === CHECK_EVERY - 1 && slice.due()) await slice.pause();
    out.push(features[i]!.map((x, j) => (x - scaler.means[j]!) / scaler.stds[j]!));
  }
  return out;
}
