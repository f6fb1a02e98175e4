/**
 * Status of one experiment branch.
 *
 * @example await lifecycle.logStatus(branchId, 'success' satisfies BranchStatus, startedAt, Date.now(), 0);
 */
export type BranchStatus = 'pending' | 'running' | 'success' | 'failed' | 'skipped';

/**
 * A small async port that records the lifecycle of experiment branches (one per config variant).
 * Adapters: over ITracker (each branch a nested run), in memory, and no-op.
 *
 * @example
 * const id = await lifecycle.startRun({ configId: 'a1b2c3', config: { l2: 0.01 } });
 * await lifecycle.logStatus(id, 'running', Date.now(), undefined, 0);
 */
export interface ILifecycleLogger {
  /** Opens a record for one branch and returns its id. */
  startRun(config: { configId: string; name?: string; config: Record<string, unknown> }): Promise<string>;
  logParams(runId: string, params: Record<string, unknown>): Promise<void>;
  logStatus(runId: string, status: BranchStatus, startTs: number, endTs: number | undefined, retryCount: number): Promise<void>;
  logException(runId: string, type: string, message: string, stack?: string): Promise<void>;
}
