/** Root mean squared error of predictions against actual values. */
export function rmse(actual: readonly number[], predicted: readonly number[]): number {
  const n = actual.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (predicted[i]! - actual[i]!) ** 2;
  return Math.sqrt(sum / n);
}

/**
 * Coefficient of determination: 1 is a perfect fit, 0 is no better than predicting the mean.
 * A constant target gives 1 for a perfect fit and 0 otherwise, rather than dividing by zero.
 *
 * @example r2([1, 2, 3], [1, 2, 3]); // 1
 */
export function r2(actual: readonly number[], predicted: readonly number[]): number {
  const n = actual.length;
  const mean = actual.reduce((a, b) => a + b, 0) / n;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    ssRes += (actual[i]! - predicted[i]!) ** 2;
    ssTot += (actual[i]! - mean) ** 2;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}
