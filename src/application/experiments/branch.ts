import { ConflictError } from '../../domain/errors';
import type { BranchStatus } from '../../domain/ports/lifecycle-logger';
import { configIdOf } from './config-id';

/** What is kept of a branch's failure. `code` is set for mlops-kit errors. */
export interface BranchException {
  type: string;
  message: string;
  stack?: string;
  code?: string;
}

/**
 * One config variant of an experiment and what happened to it. Status moves
 * pending → running → success | failed, or pending → skipped; a branch is finalized once, and a second
 * finalize throws ConflictError, so no result is ever overwritten by a late timer or retry.
 *
 * @example
 * const branch = new Branch({ l2: 0.1 });
 * branch.start(Date.now());
 * branch.succeed({ rmse: 12.3 }, Date.now());
 * branch.status; // 'success'
 */
export class Branch<TConfig extends Record<string, unknown> = Record<string, unknown>, TOutput = unknown> {
  readonly configId: string;
  /** Display name, also the nested run's name; default `branch-<configId>`. */
  readonly name: string;
  /** The id the lifecycle logger gave this branch's record (a nested run id with the tracker logger). */
  runId: string | undefined;
  private state: BranchStatus = 'pending';
  private started: number | undefined;
  private ended: number | undefined;
  private retries = 0;
  private result: TOutput | undefined;
  private error: BranchException | undefined;

  constructor(
    readonly config: TConfig,
    readonly index = 0,
    name?: string,
  ) {
    this.configId = configIdOf(config);
    this.name = name ?? `branch-${this.configId}`;
  }

  get status(): BranchStatus {
    return this.state;
  }
  get startTs(): number | undefined {
    return this.started;
  }
  get endTs(): number | undefined {
    return this.ended;
  }
  /** Wall time from start to end; undefined until finalized, and for a branch skipped before it started. */
  get durationMs(): number | undefined {
    return this.started === undefined || this.ended === undefined ? undefined : this.ended - this.started;
  }
  get retryCount(): number {
    return this.retries;
  }
  get output(): TOutput | undefined {
    return this.result;
  }
  get exception(): BranchException | undefined {
    return this.error;
  }
  get isFinal(): boolean {
    return this.state === 'success' || this.state === 'failed' || this.state === 'skipped';
  }

  start(now: number): void {
    if (this.state !== 'pending') throw this.conflict(`cannot start a branch that is ${this.state}`);
    this.state = 'running';
    this.started = now;
  }

  /** Counts one more attempt after a failure. */
  recordRetry(): void {
    if (this.state !== 'running') throw this.conflict(`cannot retry a branch that is ${this.state}`);
    this.retries += 1;
  }

  succeed(output: TOutput, now: number): void {
    this.finalize('success', now);
    this.result = output;
  }

  fail(error: unknown, now: number): void {
    this.finalize('failed', now);
    this.error = describeException(error);
  }

  skip(now: number): void {
    this.finalize('skipped', now);
  }

  toJSON(): Record<string, unknown> {
    return {
      configId: this.configId,
      name: this.name,
      config: this.config,
      status: this.state,
      runId: this.runId,
      startTs: this.started,
      endTs: this.ended,
      durationMs: this.durationMs,
      retryCount: this.retries,
      output: this.result,
      exception: this.error,
    };
  }

  private finalize(status: 'success' | 'failed' | 'skipped', now: number): void {
    if (this.isFinal) throw this.conflict(`already finalized as ${this.state}; cannot mark it ${status}`);
    if (status !== 'skipped' && this.state !== 'running') throw this.conflict(`cannot mark a ${this.state} branch ${status}`);
    this.state = status;
    this.ended = now;
  }

  private conflict(why: string): ConflictError {
    return new ConflictError(`Branch ${this.configId} (${this.name}): ${why}.`, undefined, {
      details: { configId: this.configId, status: this.state },
    });
  }
}

/** Type, message, stack (and code) of anything thrown; non-Error values become type `NonError`. */
export function describeException(error: unknown): BranchException {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      type: error.name || error.constructor.name,
      message: error.message,
      ...(error.stack !== undefined && { stack: error.stack }),
      ...(typeof code === 'string' && { code }),
    };
  }
  return { type: 'NonError', message: typeof error === 'string' ? error : JSON.stringify(error) ?? String(error) };
}
