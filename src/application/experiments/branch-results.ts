import type { BranchStatus } from '../../domain/ports/lifecycle-logger';
import type { Branch } from './branch';

/** How many branches are in each status. */
export type BranchCounts = Record<BranchStatus, number> & { total: number };

/**
 * The branches of one `runBranches` call, in input order, with the queries callers need.
 *
 * @example
 * const results = await runBranches(variants, train);
 * for (const b of results.failed()) console.log(b.configId, b.exception?.message);
 * results.byConfigId('3f2a9c01d4e5')?.output;
 */
export class BranchResults<TConfig extends Record<string, unknown> = Record<string, unknown>, TOutput = unknown> {
  constructor(readonly all: ReadonlyArray<Branch<TConfig, TOutput>>) {}

  successful(): Branch<TConfig, TOutput>[] {
    return this.all.filter((b) => b.status === 'success');
  }
  failed(): Branch<TConfig, TOutput>[] {
    return this.all.filter((b) => b.status === 'failed');
  }
  skipped(): Branch<TConfig, TOutput>[] {
    return this.all.filter((b) => b.status === 'skipped');
  }
  byConfigId(configId: string): Branch<TConfig, TOutput> | undefined {
    return this.all.find((b) => b.configId === configId);
  }
  counts(): BranchCounts {
    return countBranches(this.all);
  }
  toJSON(): Record<string, unknown>[] {
    return this.all.map((b) => b.toJSON());
  }
}

export function countBranches<C extends Record<string, unknown>, O>(branches: ReadonlyArray<Branch<C, O>>): BranchCounts {
  const counts: BranchCounts = { total: branches.length, pending: 0, running: 0, success: 0, failed: 0, skipped: 0 };
  for (const b of branches) counts[b.status] += 1;
  return counts;
}
