import type { BranchStatus, ILifecycleLogger } from '../../domain/ports/lifecycle-logger';

/**
 * Records nothing. Used when branch tracking is off, or when it was asked for with no tracker configured.
 *
 * @example await runBranches(variants, fn, { lifecycleLogger: new NoOpLifecycleLogger() });
 */
export class NoOpLifecycleLogger implements ILifecycleLogger {
  async startRun(config: { configId: string }): Promise<string> {
    return `noop-${config.configId}`;
  }
  async logParams(_runId: string, _params: Record<string, unknown>): Promise<void> {}
  async logStatus(_runId: string, _status: BranchStatus, _startTs: number, _endTs: number | undefined, _retryCount: number): Promise<void> {}
  async logException(_runId: string, _type: string, _message: string, _stack?: string): Promise<void> {}
}
