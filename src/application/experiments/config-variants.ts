import { ValidationError } from '../../domain/errors';
import { canonicalJson } from './config-id';

/** Above this many branches a grid is almost certainly a typo (a value list pasted twice, a range too fine). */
export const MAX_BRANCHES = 10_000;

export type Config = Record<string, unknown>;

/**
 * Each variant merged over `base` (shallow: a variant's key replaces the base's).
 *
 * @example listVariants({ epochs: 100 }, [{ l2: 0 }, { l2: 0.1 }]); // [{ epochs: 100, l2: 0 }, { epochs: 100, l2: 0.1 }]
 */
export function listVariants(base: Config, variants: readonly Config[]): Config[] {
  return variants.map((variant) => ({ ...base, ...variant }));
}

/**
 * The cartesian product of `grid`, each combination merged over `base`. Order is stable: keys in the
 * order written, the first key varying slowest (like nested for-loops).
 *
 * @example
 * gridVariants({}, { l2: [0, 0.1], epochs: [50, 100] });
 * // [{ l2: 0, epochs: 50 }, { l2: 0, epochs: 100 }, { l2: 0.1, epochs: 50 }, { l2: 0.1, epochs: 100 }]
 */
export function gridVariants(base: Config, grid: Readonly<Record<string, readonly unknown[]>>): Config[] {
  const keys = Object.keys(grid);
  let size = 1;
  for (const key of keys) {
    const values = grid[key]!;
    if (!Array.isArray(values) || values.length === 0) {
      throw new ValidationError(`grid.${key} must list at least one value.`, undefined, { details: { keyPath: `grid.${key}` } });
    }
    size *= values.length;
  }
  assertSize(size, 'grid');
  let combos: Config[] = [{}];
  for (const key of keys) {
    combos = combos.flatMap((combo) => grid[key]!.map((value) => ({ ...combo, [key]: value })));
  }
  return combos.map((combo) => ({ ...base, ...combo }));
}

/**
 * Every branch config of an experiment: the listed variants first, then the grid's combinations, each
 * over `base`; just `base` when neither is given. Two identical branch configs are refused, since they
 * would share one configId and their results could not be told apart.
 *
 * @example buildVariants({ base: { rows: 200 }, grid: { l2: [0, 0.01] } }).length; // 2
 */
export function buildVariants(spec: { base?: Config; variants?: readonly Config[]; grid?: Readonly<Record<string, readonly unknown[]>> }): Config[] {
  const base = spec.base ?? {};
  const out = [
    ...(spec.variants ? listVariants(base, spec.variants) : []),
    ...(spec.grid && Object.keys(spec.grid).length > 0 ? gridVariants(base, spec.grid) : []),
  ];
  if (!spec.variants && !spec.grid) out.push({ ...base });
  assertSize(out.length, 'variants and grid together');
  assertDistinct(out);
  return out;
}

/** Throws ValidationError naming the first two positions that hold the same config. */
export function assertDistinct(configs: readonly Config[]): void {
  const seen = new Map<string, number>();
  configs.forEach((config, index) => {
    const key = canonicalJson(config);
    const first = seen.get(key);
    if (first !== undefined) {
      throw new ValidationError(
        `Branches ${first} and ${index} have the same config ${key}; remove the duplicate or change a parameter (a different seed, say).`,
        undefined,
        { details: { first, second: index } },
      );
    }
    seen.set(key, index);
  });
}

function assertSize(size: number, what: string): void {
  if (size > MAX_BRANCHES) {
    throw new ValidationError(`The ${what} would make ${size} branches, more than the limit of ${MAX_BRANCHES}; use fewer values.`);
  }
}
