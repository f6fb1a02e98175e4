import { ValidationError } from '../../../src/domain/errors';
import { canonicalJson, configIdOf } from '../../../src/application/experiments/config-id';
import { buildVariants, gridVariants, listVariants, MAX_BRANCHES } from '../../../src/application/experiments/config-variants';

describe('configId', () => {
  it('is the first 12 hex digits of sha256 over canonical JSON, independent of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 0 }], c: 3 }, u: undefined })).toBe('{"a":{"c":3,"d":[2,{"y":0,"z":1}]},"b":1}');
    const id = configIdOf({ l2: 0.1, epochs: 100 });
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect(configIdOf({ epochs: 100, l2: 0.1 })).toBe(id);
    expect(configIdOf({ epochs: 100, l2: 0.2 })).not.toBe(id);
    // stable across processes and versions: pinned value
    expect(configIdOf({})).toBe('44136fa355b3');
  });
});

describe('variants', () => {
  it('merges each listed variant over base', () => {
    expect(listVariants({ epochs: 100, l2: 0 }, [{ l2: 0.1 }, { epochs: 5 }])).toEqual([
      { epochs: 100, l2: 0.1 },
      { epochs: 5, l2: 0 },
    ]);
  });

  it('expands a grid in a stable order: first key slowest', () => {
    expect(gridVariants({ rows: 100 }, { l2: [0, 0.1], epochs: [50, 100, 150] })).toEqual([
      { rows: 100, l2: 0, epochs: 50 },
      { rows: 100, l2: 0, epochs: 100 },
      { rows: 100, l2: 0, epochs: 150 },
      { rows: 100, l2: 0.1, epochs: 50 },
      { rows: 100, l2: 0.1, epochs: 100 },
      { rows: 100, l2: 0.1, epochs: 150 },
    ]);
  });

  it('puts listed variants before grid combinations, and gives just base when neither is set', () => {
    expect(buildVariants({ base: { a: 1 }, variants: [{ b: 1 }], grid: { b: [2, 3] } })).toEqual([
      { a: 1, b: 1 },
      { a: 1, b: 2 },
      { a: 1, b: 3 },
    ]);
    expect(buildVariants({ base: { a: 1 } })).toEqual([{ a: 1 }]);
  });

  it('refuses duplicate branch configs, naming both positions', () => {
    expect(() => buildVariants({ variants: [{ l2: 0.1 }], grid: { l2: [0.1] } })).toThrow(/Branches 0 and 1 have the same config \{"l2":0.1\}/);
  });

  it('refuses an empty value list and a grid past the branch limit', () => {
    expect(() => gridVariants({}, { l2: [] })).toThrow('grid.l2 must list at least one value.');
    const big = { a: range(100), b: range(100), c: range(2) };
    expect(() => gridVariants({}, big)).toThrow(ValidationError);
    expect(() => gridVariants({}, big)).toThrow(`would make 20000 branches, more than the limit of ${MAX_BRANCHES}`);
  });
});

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
