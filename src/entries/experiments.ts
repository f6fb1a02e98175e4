/**
 * `mlops-kit/experiments`: config variants run as branches (spearmint-style), each its own tracked run,
 * with lifecycle loggers that record every branch's status.
 *
 * @example
 * import { gridVariants, runBranches } from 'mlops-kit/experiments';
 * const variants = gridVariants({ model: 'churn' }, { alpha: [0.1, 1], epochs: [10, 20] }); // 4 configs
 *
 * @packageDocumentation
 */
export { Branch, type BranchException } from '../application/experiments/branch';
export { BranchTimeoutError } from '../application/experiments/branch-errors';
export { BranchResults, countBranches, type BranchCounts } from '../application/experiments/branch-results';
export { runBranches, type BranchContext, type BranchFn, type RunBranchesOptions } from '../application/experiments/branch-runner';
export { configIdOf } from '../application/experiments/config-id';
export { buildVariants, listVariants, gridVariants, MAX_BRANCHES, type Config } from '../application/experiments/config-variants';
export { TrackerLifecycleLogger, type TrackerLifecycleOptions } from '../application/experiments/tracker-lifecycle-logger';
export { MemoryLifecycleLogger, type BranchRecord, type StatusEntry } from '../application/experiments/memory-lifecycle-logger';
export { NoOpLifecycleLogger } from '../application/experiments/noop-lifecycle-logger';
export { getLifecycleLogger, type LifecycleLoggerKind, type LifecycleLoggerDeps } from '../application/experiments/get-lifecycle-logger';
export type { BranchExecutor, BranchRequest } from '../application/experiments/branch-executor';
