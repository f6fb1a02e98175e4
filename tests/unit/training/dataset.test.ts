import { ValidationError } from '../../../src/domain/errors';
import { BIKE_DEMAND_FEATURES, generateBikeDemand, summarizeDataset } from '../../../src/application/training/dataset';
import { mulberry32, shuffled } from '../../../src/application/training/prng';

describe('seeded randomness', () => {
  it('mulberry32 repeats its sequence for a seed and differs across seeds', async () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(first[0]).toBe(0.6011037519201636);
    expect(mulberry32(43)()).not.toBe(first[0]);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('shuffled is a permutation that depends only on the seed', async () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const once = shuffled(items, mulberry32(1));
    expect(shuffled(items, mulberry32(1))).toEqual(once);
    expect([...once].sort((x, y) => x - y)).toEqual(items);
    expect(once).not.toEqual(items);
    expect(items[0]).toBe(0); // the input is not mutated
  });
});

describe('generateBikeDemand', () => {
  it('gives the same table for the same seed and a different one for another seed', async () => {
    const a = await generateBikeDemand(42, 200);
    expect(await generateBikeDemand(42, 200)).toEqual(a);
    expect((await generateBikeDemand(7, 200)).targets).not.toEqual(a.targets);
  });

  it('has the documented columns, sensible ranges and no negative demand', async () => {
    const data = await generateBikeDemand(3, 1000);
    expect(data.featureNames).toEqual([...BIKE_DEMAND_FEATURES]);
    expect(data.target).toBe('demand');
    expect(data.features).toHaveLength(1000);
    const col = (name: string) => data.features.map((row) => row[data.featureNames.indexOf(name)]!);
    expect(Math.min(...col('hour'))).toBeGreaterThanOrEqual(0);
    expect(Math.max(...col('hour'))).toBeLessThanOrEqual(23);
    expect(col('humidity').every((h) => h >= 0.1 && h <= 1)).toBe(true);
    expect(new Set(col('holiday'))).toEqual(new Set([0, 1]));
    expect(data.targets.every((y) => y >= 0)).toBe(true);
    // commuting hours on working days rent more bikes on average
    const rush = data.targets.filter((_, i) => col('rush_hour')[i] === 1);
    const calm = data.targets.filter((_, i) => col('rush_hour')[i] === 0);
    expect(mean(rush)).toBeGreaterThan(mean(calm) + 50);
  });

  it('summarizes rows, features and the target', async () => {
    const summary = summarizeDataset({ featureNames: ['x'], target: 'y', features: [[1], [2]], targets: [2, 4] });
    expect(summary).toEqual({ rows: 2, features: 1, targetMean: 3, targetStd: 1 });
  });

  it('rejects a row count that is not a positive whole number', async () => {
    await expect(generateBikeDemand(1, 0)).rejects.toThrow(ValidationError);
    await expect(generateBikeDemand(1, 2.5)).rejects.toThrow(/rows must be a whole number/);
  });
});

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
