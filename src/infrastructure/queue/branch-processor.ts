import type { Job as BullJob } from 'bullmq';
import { BranchTimeoutError } from '../../application/experiments/branch-errors';
import { describeException } from '../../application/experiments/branch';
import { runAttempt } from '../../application/experiments/run-attempt';
import { TrackerLifecycleLogger } from '../../application/experiments/tracker-lifecycle-logger';
import { ExperimentBranchTrainer } from '../../application/jobs/experiment-branch-trainer';
import type { ITracker } from '../../domain/ports/tracker';
import type { BranchPayload } from './branch-payload';
import type { BranchReturn } from './queue-branch-executor';

/** Trainers keep loaded datasets for the branches of one experiment; keep only a few experiments' worth. */
const MAX_TRAINERS = 4;

/**
 * Runs one experiment branch on a worker: the branch's nested run is created under the parent run on its
 * first attempt (and reused by retries: one run per branch, as in-process), then the branch trains with
 * the same body as in-process. A failed attempt with attempts left leaves the run RUNNING for the retry;
 * the final failure ends it FAILED with the exception tags, and notes the exception in the job for the parent.
 *
 * @example const output = await processor.process(job, payload, signal, { freshRun: false });
 */
export class BranchProcessor {
  private readonly trainers = new Map<string, ExperimentBranchTrainer>();

  constructor(private readonly tracker: () => ITracker) {}

  async process(job: BullJob, payload: BranchPayload, signal: AbortSignal, options: { freshRun: boolean; permanent: (error: unknown) => boolean }): Promise<BranchReturn> {
    const b = payload.branch;
    const tracker = this.tracker();
    const lifecycle = new TrackerLifecycleLogger(tracker, { parentRunId: b.parentRunId, experimentId: b.experimentId });
    let runId = options.freshRun ? undefined : b.runId;
    if (runId === undefined) {
      runId = await lifecycle.startRun({ configId: b.configId, name: b.name, config: b.config });
      await lifecycle.logParams(runId, b.config);
      await job.updateData({ ...payload, branch: { ...b, runId } } satisfies BranchPayload);
    }
    const started = Date.now();
    const retries = job.attemptsMade;
    await lifecycle.logStatus(runId, 'running', started, undefined, retries);
    const trainer = this.trainer(b.parentRunId, tracker);
    try {
      const output = await runAttempt((attemptSignal) => trainer.train(b.config, runId, attemptSignal), {
        signal,
        ...(b.timeoutMs !== undefined && { timeoutMs: b.timeoutMs }),
        onTimeout: () => new BranchTimeoutError(b.configId, b.timeoutMs!),
      });
      await lifecycle.logStatus(runId, 'success', started, Date.now(), retries);
      return { runId, output, retries };
    } catch (error) {
      const final = options.permanent(error) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (final && !signal.aborted) {
        const e = describeException(error);
        await lifecycle.logException(runId, e.type, e.message, e.stack);
        await lifecycle.logStatus(runId, 'failed', started, Date.now(), retries);
        await job.updateData({ ...payload, branch: { ...b, runId, exception: { type: e.type, message: e.message, ...(e.code !== undefined && { code: e.code }) } } } satisfies BranchPayload);
      }
      throw error;
    }
  }

  private trainer(parentRunId: string, tracker: ITracker): ExperimentBranchTrainer {
    let trainer = this.trainers.get(parentRunId);
    if (!trainer) {
      trainer = new ExperimentBranchTrainer(tracker);
      this.trainers.set(parentRunId, trainer);
      if (this.trainers.size > MAX_TRAINERS) this.trainers.delete(this.trainers.keys().next().value!);
    }
    return trainer;
  }
}
