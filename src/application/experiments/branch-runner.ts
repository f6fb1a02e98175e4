import { ValidationError } from '../../domain/errors';
import type { ILifecycleLogger } from '../../domain/ports/lifecycle-logger';
import type { ILogger } from '../../domain/ports/logger';
import { Branch } from './branch';
import { BranchTimeoutError } from './branch-errors';
import { type BranchCounts, BranchResults, countBranches } from './branch-results';
import { assertDistinct } from './config-variants';
import { NoOpLifecycleLogger } from './noop-lifecycle-logger';
import { runAttempt, sleep } from './run-attempt';

/** What a branch function gets besides its config. */
export interface BranchContext<TConfig extends Record<string, unknown> = Record<string, unknown>> {
  branch: Branch<TConfig>;
  /** The lifecycle logger's id for this branch (the nested run id with TrackerLifecycleLogger). */
  runId: string;
  /** 0 for the first attempt, 1 for the first retry … */
  attempt: number;
  /** Aborted on timeout or when the caller's signal aborts: long work should check it. */
  signal: AbortSignal;
}

export type BranchFn<TConfig extends Record<string, unknown>, TOutput> = (config: TConfig, context: BranchContext<TConfig>) => Promise<TOutput>;

export interface RunBranchesOptions {
  /** Branches running at once (default 4). */
  concurrency?: number;
  /** Extra attempts after a failure (default 0). */
  retries?: number;
  /** Wait before retry n is `retryBackoffMs · 2^(n-1)` (default 100). */
  retryBackoffMs?: number;
  /** On the first failed branch, skip the ones not started yet (running ones finish). Default: collect all. */
  failFast?: boolean;
  /** Per-attempt time limit; a timeout fails the attempt with BranchTimeoutError (type TimeoutError). */
  timeoutMs?: number;
  /** Aborting skips the branches not started yet (without recording them) and aborts the running ones' signals. */
  signal?: AbortSignal;
  lifecycleLogger?: ILifecycleLogger;
  /** Told when lifecycle logging fails (once per call; the branches' results are kept regardless). */
  logger?: ILogger;
  /** Called after every status change with the counts, e.g. to draw a BranchProgress line. */
  onProgress?: (counts: BranchCounts) => void;
  /** Names each branch (the nested run's name); default `branch-<configId>`. */
  name?: (config: Record<string, unknown>, index: number) => string;
  clock?: () => number;
}

/**
 * Runs `fn` once per config variant, at most `concurrency` at a time, in input order, and returns every
 * branch with its status, timing, retries, output or exception. It never throws because a branch
 * failed: failures are data in the results (look at `results.failed()`). Each branch's lifecycle goes
 * to `lifecycleLogger` (with TrackerLifecycleLogger, one nested run per branch).
 *
 * @example
 * const results = await runBranches(gridVariants({}, { l2: [0, 0.01, 0.1] }), async (config, { runId }) => {
 *   return train(config);
 * }, { concurrency: 2, retries: 1, timeoutMs: 60_000 });
 * results.successful().length;
 */
export async function runBranches<TConfig extends Record<string, unknown>, TOutput>(
  variants: readonly TConfig[],
  fn: BranchFn<TConfig, TOutput>,
  options: RunBranchesOptions = {},
): Promise<BranchResults<TConfig, TOutput>> {
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new ValidationError(`concurrency must be a whole number >= 1, got ${concurrency}.`, undefined, { details: { concurrency } });
  }
  assertDistinct(variants);
  const branches = variants.map(
    (config, index) => new Branch<TConfig, TOutput>(config, index, options.name?.(config, index)),
  );
  return new BranchRunner(branches, fn, options).run(concurrency);
}

class BranchRunner<TConfig extends Record<string, unknown>, TOutput> {
  private next = 0;
  private stopping = false;
  private readonly pendingLogs: Promise<void>[] = [];
  private warned = false;
  private readonly lifecycle: ILifecycleLogger;
  private readonly clock: () => number;

  constructor(
    private readonly branches: Branch<TConfig, TOutput>[],
    private readonly fn: BranchFn<TConfig, TOutput>,
    private readonly options: RunBranchesOptions,
  ) {
    this.lifecycle = options.lifecycleLogger ?? new NoOpLifecycleLogger();
    this.clock = options.clock ?? Date.now;
  }

  async run(concurrency: number): Promise<BranchResults<TConfig, TOutput>> {
    const onAbort = () => this.stop();
    this.options.signal?.addEventListener('abort', onAbort, { once: true });
    if (this.options.signal?.aborted) this.stop();
    try {
      const workers = Array.from({ length: Math.min(concurrency, this.branches.length) }, () => this.work());
      await Promise.all(workers);
      await Promise.all(this.pendingLogs);
    } finally {
      this.options.signal?.removeEventListener('abort', onAbort);
    }
    return new BranchResults(this.branches);
  }

  private async work(): Promise<void> {
    while (this.next < this.branches.length) await this.runOne(this.branches[this.next++]!);
  }

  /**
   * Skips every branch not started yet (fail-fast or abort); running ones are left to finish (on abort,
   * their signals abort too). Skipped branches are recorded after a fail-fast, but not after an abort:
   * an interrupted process is stopping, and a record opened now could be cut in half by its exit.
   */
  private stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    const rest = this.branches.slice(this.next);
    this.next = this.branches.length;
    for (const branch of rest) branch.skip(this.clock());
    this.emit();
    if (this.options.signal?.aborted) return;
    // one after another: a large skipped tail should not hit the tracker with a burst of run creations
    this.pendingLogs.push(
      (async () => {
        for (const branch of rest) await this.logSkipped(branch);
      })(),
    );
  }

  private async runOne(branch: Branch<TConfig, TOutput>): Promise<void> {
    branch.start(this.clock());
    this.emit();
    try {
      branch.runId = await this.lifecycle.startRun({ configId: branch.configId, name: branch.name, config: branch.config });
      await this.lifecycle.logParams(branch.runId, branch.config);
      await this.lifecycle.logStatus(branch.runId, 'running', branch.startTs!, undefined, 0);
    } catch (error) {
      // without its record the branch cannot be tracked: that is a failure of the branch, not of the experiment
      await this.finish(branch, { error });
      return;
    }
    await this.finish(branch, await this.attempts(branch, branch.runId));
  }

  private async attempts(branch: Branch<TConfig, TOutput>, runId: string): Promise<{ output: TOutput } | { error: unknown }> {
    const { retries = 0, retryBackoffMs = 100, signal } = this.options;
    for (let attempt = 0; ; attempt++) {
      try {
        return { output: await this.attempt(branch, runId, attempt) };
      } catch (error) {
        if (attempt >= retries || signal?.aborted) return { error };
        branch.recordRetry();
        await sleep(retryBackoffMs * 2 ** attempt, signal);
        if (signal?.aborted) return { error };
      }
    }
  }

  private attempt(branch: Branch<TConfig, TOutput>, runId: string, attempt: number): Promise<TOutput> {
    const { signal, timeoutMs } = this.options;
    return runAttempt((attemptSignal) => this.fn(branch.config, { branch: branch as Branch<TConfig>, runId, attempt, signal: attemptSignal }), {
      signal,
      timeoutMs,
      onTimeout: () => new BranchTimeoutError(branch.configId, timeoutMs!),
    });
  }

  private async finish(branch: Branch<TConfig, TOutput>, outcome: { output: TOutput } | { error: unknown }): Promise<void> {
    if ('output' in outcome) branch.succeed(outcome.output, this.clock());
    else branch.fail(outcome.error, this.clock());
    this.emit();
    if (branch.status === 'failed' && this.options.failFast) this.stop();
    const runId = branch.runId;
    if (runId === undefined) return;
    const e = branch.exception;
    if (e) await this.safely(branch, () => this.lifecycle.logException(runId, e.type, e.message, e.stack));
    await this.safely(branch, () => this.lifecycle.logStatus(runId, branch.status, branch.startTs!, branch.endTs, branch.retryCount));
  }

  private async logSkipped(branch: Branch<TConfig, TOutput>): Promise<void> {
    await this.safely(branch, async () => {
      const runId = await this.lifecycle.startRun({ configId: branch.configId, name: branch.name, config: branch.config });
      branch.runId = runId;
      await this.lifecycle.logParams(runId, branch.config);
      await this.lifecycle.logStatus(runId, 'skipped', branch.endTs!, branch.endTs, 0);
    });
  }

  /** Lifecycle logging after the outcome is known is best effort: the result in memory is what counts. */
  private async safely(branch: Branch<TConfig, TOutput>, op: () => Promise<void>): Promise<void> {
    try {
      await op();
    } catch (error) {
      const message = `Could not record the lifecycle of branch ${branch.configId}: ${error instanceof Error ? error.message : String(error)}`;
      if (!this.warned) this.options.logger?.warn(message, { configId: branch.configId });
      else this.options.logger?.debug(message, { configId: branch.configId });
      this.warned = true;
    }
  }

  private emit(): void {
    this.options.onProgress?.(countBranches(this.branches));
  }
}
