import { expectedTarget, lowerIsBetter, MetricAccumulator, predictionValue, targetValue, type GateMetric } from '../../../src/application/scoring/gate-metrics';
import { r2, rmse } from '../../../src/application/training/metrics';

const score = (metric: GateMetric, actual: (number | string)[], predicted: (number | string)[]) => {
  const acc = new MetricAccumulator(metric);
  actual.forEach((a, i) => acc.add(a, predicted[i]!));
  return acc.value();
};

describe('gate metrics', () => {
  const actual = [3, -0.5, 2, 7];
  const predicted = [2.5, 0, 2, 8];

  it('rmse, mae and r2 computed row by row agree with the whole-array formulas (scikit-learn values)', () => {
    expect(score('rmse', actual, predicted)).toBeCloseTo(rmse(actual, predicted), 12);
    expect(score('rmse', actual, predicted)).toBeCloseTo(0.6123724356957945, 12);
    expect(score('mae', actual, predicted)).toBeCloseTo(0.5, 12);
    expect(score('r2', actual, predicted)).toBeCloseTo(r2(actual, predicted), 12);
    expect(score('r2', actual, predicted)).toBeCloseTo(0.9486081370449679, 12);
    // a constant target: 1 for a perfect fit, else 0, as scikit-learn
    expect(score('r2', [5, 5], [5, 5])).toBe(1);
    expect(score('r2', [5, 5], [4, 6])).toBe(0);
  });

  it('accuracy counts equal labels; binary f1 is of class 1, and 0 when nobody has a positive', () => {
    expect(score('accuracy', [1, 0, 1, 'cat'], [1, 1, 1, 'cat'])).toBe(0.75);
    // tp=2 fp=1 fn=1 → 2·2 / (2·2 + 1 + 1)
    expect(score('f1', [1, 1, 0, 1, 0], [1, 1, 1, 0, 0])).toBeCloseTo(2 / 3, 12);
    expect(score('f1', [0, 0], [0, 0])).toBe(0);
  });

  it('reads targets as the metric needs them, undefined when it cannot', () => {
    expect(['12.5', ' 7 ', '', 'abc'].map((c) => targetValue('rmse', c))).toEqual([12.5, 7, undefined, undefined]);
    expect(['1', 'true', 'FALSE', '0.0', '2', 'yes'].map((c) => targetValue('f1', c))).toEqual([1, 1, 0, 0, undefined, undefined]);
    expect(['2', 'cat', 'true'].map((c) => targetValue('accuracy', c))).toEqual([2, 'cat', 1]);
    expect(expectedTarget('f1')).toBe('a binary label: 0/1 or true/false');
  });

  it('turns predictions into labels: scores rounded (0.5 threshold), probabilities by argmax, booleans as 1/0', () => {
    expect([0.49, 0.5, 0.73, 1.6, true, false, [0.2, 0.8], [0.9, 0.1], '1', 'cat', [0.7]].map((p) => predictionValue('accuracy', p))).toEqual([0, 1, 1, 2, 1, 0, 1, 0, 1, 'cat', 1]);
    expect([301.5, [12], 'abc', [1, 2]].map((p) => predictionValue('rmse', p))).toEqual([301.5, 12, undefined, undefined]);
  });

  it('knows which way is better', () => {
    expect((['rmse', 'mae', 'r2', 'accuracy', 'f1'] as const).map(lowerIsBetter)).toEqual([true, true, false, false, false]);
  });
});
