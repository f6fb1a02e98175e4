import type { PredictionValue } from '../../domain/model/model-input';
import { readCell } from '../training/table-columns';

/**
 * A metric a promotion gate compares models by: regression errors `rmse` and `mae` (lower is better)
 * and `r2`; classification `accuracy` and binary `f1` (higher is better).
 *
 * @example const metric: GateMetric = 'rmse';
 */
export type GateMetric = 'rmse' | 'mae' | 'r2' | 'accuracy' | 'f1';

/**
 * Every {@link GateMetric}, in the order error messages list them.
 *
 * @example GATE_METRICS.includes('mape' as GateMetric); // false
 */
export const GATE_METRICS = ['rmse', 'mae', 'r2', 'accuracy', 'f1'] as const satisfies readonly GateMetric[];

/**
 * True for the error metrics (rmse, mae), where a lower value is better.
 *
 * @example lowerIsBetter('rmse'); // true
 */
export function lowerIsBetter(metric: GateMetric): boolean {
  return metric === 'rmse' || metric === 'mae';
}

const REGRESSION: ReadonlySet<GateMetric> = new Set(['rmse', 'mae', 'r2']);

/**
 * What a target cell must hold for `metric`, for error messages.
 *
 * @example expectedTarget('f1'); // 'a binary label: 0/1 or true/false'
 */
export function expectedTarget(metric: GateMetric): string {
  return REGRESSION.has(metric) ? 'a number' : metric === 'f1' ? 'a binary label: 0/1 or true/false' : 'a label (a number, true/false or text)';
}

/**
 * A target cell as the metric compares it: a finite number for regression; a label for accuracy (a
 * number, true/false as 1/0, or the text); 0 or 1 for f1 (true/false count). Undefined when the cell
 * cannot be used (empty, text where a number is needed, a third class for f1).
 *
 * @example [targetValue('rmse', '12.5'), targetValue('f1', 'true'), targetValue('f1', '2')]; // [12.5, 1, undefined]
 */
export function targetValue(metric: GateMetric, cell: string): number | string | undefined {
  const value = readCell(cell);
  if (value === null) return undefined;
  if (REGRESSION.has(metric)) return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  const label = typeof value === 'boolean' ? Number(value) : value;
  return metric === 'f1' && label !== 0 && label !== 1 ? undefined : label;
}

/**
 * A model's prediction as the metric compares it. Regression: the number (or the one number of a
 * one-value array). Classification: a number is rounded to the nearest whole label, so a probability or
 * score of the positive class is thresholded at 0.5 (what a classifier's `predict` does by default, and
 * what a regression fitted to 0/1 labels needs); an array of class probabilities gives the index of the
 * largest; true/false count as 1/0; text is the label (numeric text read as a number). Undefined when it
 * cannot be compared (text for a regression metric).
 *
 * @example [predictionValue('accuracy', 0.73), predictionValue('accuracy', [0.2, 0.8]), predictionValue('rmse', [301.5])]; // [1, 1, 301.5]
 */
export function predictionValue(metric: GateMetric, prediction: PredictionValue): number | string | undefined {
  const single = Array.isArray(prediction) && prediction.length === 1 ? prediction[0]! : prediction;
  if (REGRESSION.has(metric)) return typeof single === 'number' && Number.isFinite(single) ? single : undefined;
  if (Array.isArray(single)) return argmax(single);
  if (typeof single === 'boolean') return Number(single);
  if (typeof single === 'number') return Number.isFinite(single) ? Math.round(single) : undefined;
  const label = readCell(single);
  return typeof label === 'number' ? Math.round(label) : typeof label === 'boolean' ? Number(label) : (label ?? undefined);
}

function argmax(values: readonly PredictionValue[]): number | undefined {
  let best: number | undefined;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
    if (best === undefined || v > (values[best] as number)) best = i;
  }
  return best;
}

/**
 * A metric computed row by row in constant memory, from values already read by {@link targetValue} and
 * {@link predictionValue}. r2 follows scikit-learn: a constant target gives 1 for a perfect fit, else 0;
 * f1 is of class 1, and 0 when neither the data nor the model has a positive (scikit-learn's
 * `zero_division=0`).
 *
 * @example
 * const rmse = new MetricAccumulator('rmse');
 * rmse.add(10, 12);
 * rmse.add(20, 20);
 * rmse.value(); // √2 ≈ 1.414
 */
export class MetricAccumulator {
  private n = 0;
  private sum = 0;
  // r2: Welford's running mean and squared deviations of the target
  private mean = 0;
  private m2 = 0;
  private tp = 0;
  private fp = 0;
  private fn = 0;

  constructor(readonly metric: GateMetric) {}

  add(actual: number | string, predicted: number | string): void {
    this.n++;
    switch (this.metric) {
      case 'rmse':
      case 'r2':
        this.sum += ((actual as number) - (predicted as number)) ** 2;
        if (this.metric === 'r2') {
          const delta = (actual as number) - this.mean;
          this.mean += delta / this.n;
          this.m2 += delta * ((actual as number) - this.mean);
        }
        break;
      case 'mae':
        this.sum += Math.abs((actual as number) - (predicted as number));
        break;
      case 'accuracy':
        if (actual === predicted) this.sum++;
        break;
      case 'f1':
        if (predicted === 1 && actual === 1) this.tp++;
        else if (predicted === 1) this.fp++;
        else if (actual === 1) this.fn++;
        break;
    }
  }

  /** The metric over the rows added; NaN before any. */
  value(): number {
    const { n } = this;
    switch (this.metric) {
      case 'rmse':
        return Math.sqrt(this.sum / n);
      case 'mae':
      case 'accuracy':
        return this.sum / n;
      case 'r2':
        if (n === 0) return NaN;
        return this.m2 === 0 ? (this.sum === 0 ? 1 : 0) : 1 - this.sum / this.m2;
      case 'f1': {
        if (n === 0) return NaN;
        const denominator = 2 * this.tp + this.fp + this.fn;
        return denominator === 0 ? 0 : (2 * this.tp) / denominator;
      }
    }
  }
}
