import { ValidationError } from '../../domain/errors';
import { CpuSlice } from './cpu-slice';

export interface RidgeOptions {
  epochs: number;
  learningRate: number;
  /** L2 penalty on the weights (not the bias). 0 is plain least squares. */
  l2: number;
}

export interface RidgeFit {
  weights: number[];
  bias: number;
  /** Training loss after each epoch: mean squared error + l2 · ‖w‖². */
  lossHistory: number[];
}

/**
 * Ridge regression fitted by full-batch gradient descent on standardized features, starting from zero
 * weights. Deterministic: no randomness inside, so equal inputs give equal weights bit for bit.
 * Throws ValidationError when the loss stops being finite (a learning rate too large for the data).
 *
 * Cooperative: every few ms (within an epoch too, for large data) it gives the event loop a turn through
 * `slice`, so signals are handled promptly, and it stops with JobInterruptedError once `slice.signal`
 * aborts. The pauses never change the arithmetic.
 *
 * @example
 * const fit = await fitRidge([[0], [1], [2]], [1, 3, 5], { epochs: 500, learningRate: 0.1, l2: 0 });
 * fit.weights; // ≈ [2], fit.bias ≈ 1
 */
export async function fitRidge(x: readonly number[][], y: readonly number[], options: RidgeOptions, slice = new CpuSlice()): Promise<RidgeFit> {
  const n = x.length;
  const width = x[0]?.length ?? 0;
  const weights = new Array<number>(width).fill(0);
  let bias = 0;
  const lossHistory: number[] = [];
  const residuals = new Array<number>(n);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    await slice.maybePause();
    const gradW = new Array<number>(width).fill(0);
    let gradB = 0;
    for (let i = 0; i < n; i++) {
      if ((i & 1023) === 1023 && slice.due()) await slice.pause();
      const row = x[i]!;
      let prediction = bias;
      for (let j = 0; j < width; j++) prediction += weights[j]! * row[j]!;
      const r = prediction - y[i]!;
      residuals[i] = r;
      gradB += r;
      for (let j = 0; j < width; j++) gradW[j]! += r * row[j]!;
    }
    // the loss of the weights used in this epoch's forward pass, before they move
    const mse = residuals.reduce((a, r) => a + r * r, 0) / n;
    const loss = mse + options.l2 * weights.reduce((a, w) => a + w * w, 0);
    for (let j = 0; j < width; j++) {
      weights[j]! -= options.learningRate * ((2 / n) * gradW[j]! + 2 * options.l2 * weights[j]!);
    }
    bias -= options.learningRate * (2 / n) * gradB;
    if (!Number.isFinite(loss)) {
      throw new ValidationError(
        `Training diverged at epoch ${epoch + 1} (loss is ${loss}): lower learningRate (now ${options.learningRate}).`,
        undefined,
        { details: { epoch: epoch + 1, learningRate: options.learningRate } },
      );
    }
    lossHistory.push(loss);
  }
  return { weights, bias, lossHistory };
}
