import { ErrorCodes, JobInterruptedError, MlopsError } from '../../domain/errors';
import type { ITracker } from '../../domain/ports/tracker';
import type { Branch } from '../experiments/branch';
import type { BranchResults } from '../experiments/branch-results';
import { currentBranchExecutor, type BranchExecutor } from '../experiments/branch-executor';
import { buildVariants, type Config } from '../experiments/config-variants';
import { BranchProgress, type ProgressStream } from '../experiments/progress';
import { TrackerLifecycleLogger } from '../experiments/tracker-lifecycle-logger';
import { withRun } from '../tracking/with-run';
import { canonicalJson } from '../experiments/config-id';
import { checkBranchConfig } from './experiment-branch-config';
import { ExperimentBranchTrainer, type BranchOutput } from './experiment-branch-trainer';
import type { z } from 'zod';
import { Job, type JobContext } from './job';
import { defineJob } from './job-definition';
import { parseJobConfig } from './schemas/parse-job-config';
import { ExperimentJobSchema, type ExperimentJobConfig } from './schemas/experiment';

/**
 * What an ExperimentJob returns: the parent run, how many branches succeeded, failed or were skipped,
 * and the best successful branch.
 *
 * @example const { best, failed }: ExperimentResult = await runtime.run({ KIND: 'ExperimentJob', name: 'l2-sweep', grid: { l2: [0, 0.01] } });
 */
export type ExperimentResult = {
  parentRunId: string;
  experimentId: string;
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  /** The successful branch with the lowest test rmse. */
  best: { configId: string; config: Config; rmse: number };
};

export interface ExperimentJobDeps {
  /** Where the progress line is drawn (only when it is a TTY). Default: process.stderr. */
  progressStream?: ProgressStream;
  /** Where branches run. Default: the ambient one (a queue worker sets its queue executor), else in-process. */
  branches?: BranchExecutor;
}

/**
 * Trains every config variant (a list and/or a grid, each merged over `base`) concurrently. The experiment
 * is a parent run named `name`; each branch is a nested run with its config as params, rmse/r2 as
 * metrics and its status, retries and any exception as tags. Nothing is registered. The job fails when
 * no branch succeeds, or when `failFast` is on and one fails; otherwise failures are counted in the result.
 *
 * @example
 * const { best } = await runtime.run({ KIND: 'ExperimentJob', name: 'l2-sweep', grid: { l2: [0, 0.01, 0.1] } });
 */
export class ExperimentJob extends Job<ExperimentResult> {
  static readonly KIND = 'ExperimentJob';
  readonly kind = ExperimentJob.KIND;

  private parsed: z.output<typeof ExperimentJobSchema> | undefined;

  constructor(
    context: JobContext,
    private readonly input: ExperimentJobConfig,
    private readonly deps: ExperimentJobDeps = {},
  ) {
    super(context);
  }

  /** The config with defaults, parsed on first use in run(): a job built in code gets the same checks as one from a file. */
  private get config(): z.output<typeof ExperimentJobSchema> {
    this.parsed ??= parseJobConfig(ExperimentJobSchema, this.input);
    return this.parsed;
  }

  protected async run(): Promise<ExperimentResult> {
    const { name, model, concurrency, retries, retryBackoffMs, failFast, timeoutMs } = this.config;
    const variants = buildVariants(this.config);
    // a typo in one variant is a config error: report it before any run exists
    variants.forEach((variant, index) => checkBranchConfig(variant, index));
    const { tracker } = this.services;
    const tags: Record<string, string> = { 'mlops.job': this.kind, ...(model !== undefined && { 'mlops.model': model }) };

    return withRun(tracker, { runName: name, tags }, async (parent) => {
      await tracker.logParams(parent.runId, {
        branches: variants.length,
        concurrency,
        retries,
        retryBackoffMs,
        failFast,
        ...(timeoutMs !== undefined && { timeoutMs }),
        base: canonicalJson(this.config.base),
      });
      this.logger.info(`Experiment "${name}": ${variants.length} branches, ${concurrency} at a time`, { parentRunId: parent.runId });
      const progress = new BranchProgress(this.deps.progressStream ?? process.stderr, name);
      let results: BranchResults<Config, BranchOutput>;
      try {
        const trainer = new ExperimentBranchTrainer(tracker, this.signal);
        const executor = this.deps.branches ?? currentBranchExecutor();
        results = await executor.run({ variants, fn: (config, ctx) => trainer.train(config, ctx.runId, ctx.signal), parent: { runId: parent.runId, experimentId: parent.experimentId }, options: {
          concurrency,
          retries,
          retryBackoffMs,
          failFast,
          ...(timeoutMs !== undefined && { timeoutMs }),
          signal: this.signal,
          lifecycleLogger: new TrackerLifecycleLogger(tracker, { parentRunId: parent.runId, experimentId: parent.experimentId, signal: this.signal }),
          logger: this.logger,
          onProgress: (counts) => progress.update(counts),
        } });
      } finally {
        progress.finish();
      }
      return this.summarize(tracker, parent.runId, parent.experimentId, results);
    }, { signal: this.signal });
  }

  private async summarize(
    tracker: ITracker,
    parentRunId: string,
    experimentId: string,
    results: BranchResults<Config, BranchOutput>,
  ): Promise<ExperimentResult> {
    const counts = results.counts();
    const failed = results.failed();
    for (const b of failed) {
      const e = b.exception;
      this.logger.warn(`Branch ${b.configId} failed after ${b.retryCount} retries: ${e?.type}: ${e?.message}`, { configId: b.configId, config: b.config });
    }
    const best = bestBranch(results.successful());
    await tracker.setTags(parentRunId, {
      'branches.total': String(counts.total),
      'branches.succeeded': String(counts.success),
      'branches.failed': String(counts.failed),
      'branches.skipped': String(counts.skipped),
      ...(best && { 'best.configId': best.configId }),
    });
    if (best) await tracker.logMetrics(parentRunId, { best_rmse: best.output!.rmse, best_r2: best.output!.r2 });

    if (this.signal.aborted) throw new JobInterruptedError(String(this.signal.reason ?? 'abort'));
    if (!best || (this.config.failFast && failed.length > 0)) {
      const first = failed[0];
      const why = first ? `branch ${first.configId} failed: ${first.exception?.type}: ${first.exception?.message}` : 'no branch ran';
      throw new MlopsError(
        ErrorCodes.JOB_FAILED,
        `Experiment "${this.config.name}": ${counts.success}/${counts.total} branches succeeded (${counts.failed} failed, ${counts.skipped} skipped); ${why}`,
        { details: { parentRunId, ...counts } },
      );
    }
    const rmse = best.output!.rmse;
    this.logger.info(`Best branch ${best.configId}: rmse=${rmse.toFixed(4)}`, { configId: best.configId, config: best.config, parentRunId });
    await this.services.alerter.notify('Experiment Job Finished', `${counts.total} branches, best rmse ${rmse.toFixed(4)}`);
    return {
      parentRunId,
      experimentId,
      total: counts.total,
      succeeded: counts.success,
      failed: counts.failed,
      skipped: counts.skipped,
      best: { configId: best.configId, config: best.config, rmse },
    };
  }
}

function bestBranch(branches: Branch<Config, BranchOutput>[]): Branch<Config, BranchOutput> | undefined {
  let best: Branch<Config, BranchOutput> | undefined;
  for (const b of branches) if (!best || b.output!.rmse < best.output!.rmse) best = b;
  return best;
}

/** ExperimentJob's definition: a parent run with one nested run per branch; registers nothing. */
export const ExperimentJobDefinition = defineJob({
  kind: 'ExperimentJob',
  description: 'Runs training branches (variants and/or a grid) concurrently, with retries, under one parent run.',
  schema: ExperimentJobSchema,
  uses: ['tracker'],
  create: (context, config) => new ExperimentJob(context, config),
});
