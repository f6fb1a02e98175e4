/** Status of one experiment branch. */
export type BranchStatus = 'pending' | 'running' | 'success' | 'failed' | 'skipped';

/**
 * A small async port that records the lifecycle of experiment branches (one per config variant).
 * Adapters: over ITracker (each branch a nested run), in memory, and no-op.
 */
export interface ILifecycleLogger {
  /** Opens a record for one branch and returns its id. */
  startRun(config: { configId: string; name?: string; config: Record<string, unknown> }): Promise<string>;
  logParams(runId: string, params: Record<string, unknown>): Promise<void>;
  logStatus(runId: string, status: BranchStatus, startTs: number, endTs: number | undefined, retryCount: number): Promise<void>;
  logException(runId: string, type: string, message: string, stack?: string): Promise<void>;
}
