import { AsyncLocalStorage } from 'node:async_hooks';
import type { BranchResults } from './branch-results';
import { runBranches, type BranchFn, type RunBranchesOptions } from './branch-runner';

/** What an experiment hands its executor: the variants, the branch body, the runner options, where runs go. */
export interface BranchRequest<TConfig extends Record<string, unknown>, TOutput> {
  variants: readonly TConfig[];
  /** The branch body, for executors that run branches in this process. */
  fn: BranchFn<TConfig, TOutput>;
  options: RunBranchesOptions;
  /** For executors that run branches elsewhere: the parent run each branch's nested run goes under. */
  parent: { runId: string; experimentId: string };
}

/**
 * Where an experiment's branches run. The in-process executor is `runBranches`; the queue executor
 * (infrastructure/queue) sends each branch to a worker as a queue job. Either way the result is the same
 * BranchResults (success/failed/skipped, retries, outputs) and `options.onProgress` sees the same counts.
 *
 * @example
 * const results = await executor.run({ variants, fn: train, options: { retries: 1 }, parent: { runId, experimentId } });
 */
export interface BranchExecutor {
  run<TConfig extends Record<string, unknown>, TOutput>(request: BranchRequest<TConfig, TOutput>): Promise<BranchResults<TConfig, TOutput>>;
}

/** Runs branches in this process with `runBranches` (the default). */
export const IN_PROCESS_BRANCHES: BranchExecutor = {
  run: (request) => runBranches(request.variants, request.fn, request.options),
};

const ambient = new AsyncLocalStorage<BranchExecutor>();

/**
 * Runs `work` with `executor` as the branch executor of every experiment started inside it. How a queue
 * worker gives the ExperimentJobs it runs its queue executor without the job knowing about queues.
 *
 * @example await withBranchExecutor(queueExecutor, () => runtime.runConfig(job, { signal }));
 */
export function withBranchExecutor<T>(executor: BranchExecutor, work: () => Promise<T>): Promise<T> {
  return ambient.run(executor, work);
}

/** The executor set by the nearest `withBranchExecutor`, else in-process. */
export function currentBranchExecutor(): BranchExecutor {
  return ambient.getStore() ?? IN_PROCESS_BRANCHES;
}
