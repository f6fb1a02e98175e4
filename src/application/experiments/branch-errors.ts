import { ErrorCodes, MlopsError } from '../../domain/errors';

/**
 * One attempt of a branch ran longer than its `timeoutMs`. Its `name` is `TimeoutError`, which is what
 * lands in the branch's `exception.type`; the attempt's AbortSignal is aborted so cooperative code can stop.
 *
 * @example
 * if (branch.exception?.type === 'TimeoutError') console.log(`${branch.configId} timed out`);
 */
export class BranchTimeoutError extends MlopsError {
  constructor(configId: string, timeoutMs: number) {
    super(
      ErrorCodes.BRANCH_TIMEOUT,
      `Branch ${configId} timed out after ${timeoutMs} ms; raise timeoutMs or make the branch faster.`,
      { details: { configId, timeoutMs } },
    );
    this.name = 'TimeoutError';
  }
}
