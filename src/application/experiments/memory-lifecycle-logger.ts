import { ErrorCodes, NotFoundError } from '../../domain/errors';
import type { BranchStatus, ILifecycleLogger } from '../../domain/ports/lifecycle-logger';

/** One status change as logged. */
export interface StatusEntry {
  status: BranchStatus;
  startTs: number;
  endTs: number | undefined;
  retryCount: number;
}

/** Everything logged about one branch. */
export interface BranchRecord {
  runId: string;
  configId: string;
  name: string | undefined;
  config: Record<string, unknown>;
  params: Record<string, unknown>;
  statuses: StatusEntry[];
  exception?: { type: string; message: string; stack?: string };
}

/**
 * Keeps branch lifecycles in memory, for tests and for apps that inspect an experiment without a tracker.
 *
 * @example
 * const lifecycle = new MemoryLifecycleLogger();
 * await runBranches(variants, fn, { lifecycleLogger: lifecycle });
 * lifecycle.byStatus('failed').map((r) => r.exception?.message);
 */
export class MemoryLifecycleLogger implements ILifecycleLogger {
  private readonly records = new Map<string, BranchRecord>();
  private next = 0;

  async startRun(config: { configId: string; name?: string; config: Record<string, unknown> }): Promise<string> {
    const runId = `memory-branch-${++this.next}`;
    this.records.set(runId, { runId, configId: config.configId, name: config.name, config: { ...config.config }, params: {}, statuses: [] });
    return runId;
  }

  async logParams(runId: string, params: Record<string, unknown>): Promise<void> {
    Object.assign(this.get(runId).params, params);
  }

  async logStatus(runId: string, status: BranchStatus, startTs: number, endTs: number | undefined, retryCount: number): Promise<void> {
    this.get(runId).statuses.push({ status, startTs, endTs, retryCount });
  }

  async logException(runId: string, type: string, message: string, stack?: string): Promise<void> {
    this.get(runId).exception = { type, message, ...(stack !== undefined && { stack }) };
  }

  /** Every record, in the order the branches started. */
  runs(): BranchRecord[] {
    return [...this.records.values()];
  }

  /** The record of `runId`; throws NotFoundError(RUN_NOT_FOUND) for an id this logger never gave out. */
  get(runId: string): BranchRecord {
    const record = this.records.get(runId);
    if (!record) throw new NotFoundError(`No branch record ${runId} in this MemoryLifecycleLogger.`, ErrorCodes.RUN_NOT_FOUND, { details: { runId } });
    return record;
  }

  byConfigId(configId: string): BranchRecord | undefined {
    return this.runs().find((r) => r.configId === configId);
  }

  /** The last status logged for the record, or undefined when none was. */
  lastStatus(runId: string): BranchStatus | undefined {
    return this.get(runId).statuses.at(-1)?.status;
  }

  /** Records whose last logged status is `status`. */
  byStatus(status: BranchStatus): BranchRecord[] {
    return this.runs().filter((r) => r.statuses.at(-1)?.status === status);
  }

  clear(): void {
    this.records.clear();
  }
}
