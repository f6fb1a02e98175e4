import { ValidationError } from '../../../src/domain/errors';
import { generateBikeDemand } from '../../../src/application/training/dataset';
import { parseModel, predict, serializeModel } from '../../../src/application/training/linear-model';
import { r2, rmse } from '../../../src/application/training/metrics';
import { fitScaler, standardize, trainTestSplit } from '../../../src/application/training/preprocessing';
import { fitRidge } from '../../../src/application/training/ridge-regression';
import { DEFAULT_HYPERPARAMS, hyperparamsFrom, trainModel } from '../../../src/application/training/train';

describe('metrics', () => {
  it('rmse and r2 on known values', async () => {
    expect(rmse([1, 2, 3], [1, 2, 5])).toBeCloseTo(Math.sqrt(4 / 3));
    expect(r2([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(r2([1, 2, 3], [2, 2, 2])).toBe(0);
    expect(r2([5, 5], [5, 5])).toBe(1); // constant target, perfect fit: no division by zero
    expect(r2([5, 5], [4, 6])).toBe(0);
  });
});

describe('preprocessing', () => {
  it('splits by testFraction after a seeded shuffle, keeping every row once', async () => {
    const data = await generateBikeDemand(1, 100);
    const { train, test } = await trainTestSplit(data, 0.25, 9);
    expect(test.targets).toHaveLength(25);
    expect(train.targets).toHaveLength(75);
    expect((await trainTestSplit(data, 0.25, 9)).test.targets).toEqual(test.targets);
    expect((await trainTestSplit(data, 0.25, 10)).test.targets).not.toEqual(test.targets);
    expect([...train.targets, ...test.targets].sort()).toEqual([...data.targets].sort());
  });

  it('always keeps at least one row on each side', async () => {
    const tiny = { featureNames: ['x'], target: 'y', features: [[1], [2]], targets: [1, 2] };
    expect((await trainTestSplit(tiny, 0.01, 1)).test.targets).toHaveLength(1);
    expect((await trainTestSplit(tiny, 0.99, 1)).train.targets).toHaveLength(1);
  });

  it('standardizes to mean 0 / std 1, and a constant column to 0 rather than NaN', async () => {
    const rows = [[1, 5], [3, 5]];
    const scaler = await fitScaler(rows);
    expect(scaler).toEqual({ means: [2, 5], stds: [1, 1] });
    expect(await standardize(rows, scaler)).toEqual([[-1, 0], [1, 0]]);
  });
});

describe('fitRidge', () => {
  it('recovers a line exactly without a penalty, and the loss decreases', async () => {
    const fit = await fitRidge([[0], [1], [2]], [1, 3, 5], { epochs: 500, learningRate: 0.1, l2: 0 });
    expect(fit.weights[0]).toBeCloseTo(2, 6);
    expect(fit.bias).toBeCloseTo(1, 6);
    expect(fit.lossHistory).toHaveLength(500);
    expect(fit.lossHistory.at(-1)!).toBeLessThan(fit.lossHistory[0]!);
  });

  it('shrinks weights as l2 grows', async () => {
    const x = [[-1], [0], [1]];
    const y = [-2, 0, 2];
    const free = (await fitRidge(x, y, { epochs: 400, learningRate: 0.1, l2: 0 })).weights[0]!;
    const penalized = (await fitRidge(x, y, { epochs: 400, learningRate: 0.1, l2: 1 })).weights[0]!;
    expect(Math.abs(penalized)).toBeLessThan(Math.abs(free));
  });

  it('stops with a ValidationError naming learningRate when training diverges', async () => {
    await expect(fitRidge([[0], [10], [20]], [0, 1, 2], { epochs: 100, learningRate: 10, l2: 0 })).rejects.toThrow(
      /Training diverged at epoch \d+ .*lower learningRate \(now 10\)/,
    );
  });
});

describe('trainModel', () => {
  it('is deterministic: same data and seed give identical weights and metrics', async () => {
    const a = await trainModel(await generateBikeDemand(42, 500), DEFAULT_HYPERPARAMS);
    const b = await trainModel(await generateBikeDemand(42, 500), DEFAULT_HYPERPARAMS);
    expect(b.model).toEqual(a.model);
    expect(b.metrics).toEqual(a.metrics);
    expect(b.lossHistory).toEqual(a.lossHistory);
    const other = await trainModel(await generateBikeDemand(43, 500), { ...DEFAULT_HYPERPARAMS, seed: 43 });
    expect(other.model.weights).not.toEqual(a.model.weights);
  });

  it('learns the synthetic demand well and reports both splits', async () => {
    const outcome = await trainModel(await generateBikeDemand(42, 500), DEFAULT_HYPERPARAMS);
    expect(outcome.testRows).toBe(100);
    expect(outcome.trainRows).toBe(400);
    expect(outcome.metrics.r2).toBeGreaterThan(0.85);
    expect(outcome.metrics.train_r2).toBeGreaterThan(0.85);
    expect(outcome.metrics.rmse).toBeGreaterThan(0);
    expect(outcome.lossHistory).toHaveLength(DEFAULT_HYPERPARAMS.epochs);
    expect(outcome.model.hyperparams).toEqual({ ...DEFAULT_HYPERPARAMS });
  });

  it('rejects out-of-range hyperparameters before training', async () => {
    const data = await generateBikeDemand(1, 50);
    await expect(trainModel(data, { ...DEFAULT_HYPERPARAMS, testFraction: 1 })).rejects.toThrow('Hyperparameter testFraction must be between 0 and 1 (exclusive), got 1.');
    await expect(trainModel(data, { ...DEFAULT_HYPERPARAMS, epochs: 0 })).rejects.toThrow(ValidationError);
    await expect(trainModel(data, { ...DEFAULT_HYPERPARAMS, learningRate: -1 })).rejects.toThrow(/learningRate must be > 0/);
  });
});

describe('hyperparamsFrom', () => {
  it('fills defaults, accepts numeric strings and rejects other types by key', async () => {
    expect(hyperparamsFrom({ l2: 0.5, epochs: '10' })).toEqual({ ...DEFAULT_HYPERPARAMS, l2: 0.5, epochs: 10 });
    expect(() => hyperparamsFrom({ l2: 'lots' })).toThrow('Hyperparameter l2 must be a number, got "lots".');
    expect(() => hyperparamsFrom({ epochs: 1.5 })).toThrow(/epochs must be a whole number/);
  });
});

describe('model serialization', () => {
  it('round-trips through JSON and predicts the same values', async () => {
    const data = await generateBikeDemand(5, 200);
    const { model } = await trainModel(data, DEFAULT_HYPERPARAMS);
    const text = serializeModel(model);
    expect(serializeModel(model)).toBe(text);
    const loaded = parseModel(text, 'model.json');
    expect(loaded).toEqual(model);
    expect(predict(loaded, data.features.slice(0, 5))).toEqual(predict(model, data.features.slice(0, 5)));
    expect(JSON.parse(text)).toMatchObject({ format: 'mlops-kit/linear-regression', featureNames: data.featureNames });
  });

  it('refuses files it did not write, naming the source', async () => {
    expect(() => parseModel('not json', 'm v1 model/model.json')).toThrow(/^m v1 model\/model\.json: not valid JSON/);
    expect(() => parseModel('{"format":"other"}', 'x.json')).toThrow(/x\.json: not a mlops-kit\/linear-regression model/);
    const broken = { format: 'mlops-kit/linear-regression', featureNames: ['a'], weights: [], featureMeans: [0], featureStds: [1], bias: 0 };
    expect(() => parseModel(JSON.stringify(broken), 'x.json')).toThrow(ValidationError);
  });
});
