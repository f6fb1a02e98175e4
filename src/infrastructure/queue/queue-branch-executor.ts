import type { Job as BullJob, Queue, QueueEvents } from 'bullmq';
import { Branch, describeException } from '../../application/experiments/branch';
import type { BranchExecutor, BranchRequest } from '../../application/experiments/branch-executor';
import { BranchResults, countBranches } from '../../application/experiments/branch-results';
import { assertDistinct } from '../../application/experiments/config-variants';
import { NoOpLifecycleLogger } from '../../application/experiments/noop-lifecycle-logger';
import { JobInterruptedError } from '../../domain/errors';
import { loadBullMQ, type RedisConnectionOptions } from './bullmq';
import { branchQueueName, type BranchPayload } from './branch-payload';
import { errorFromReason } from './job-failure';

/** What a worker returns for a branch that succeeded. */
export interface BranchReturn {
  runId: string;
  output: unknown;
  /** Failed attempts before this one, as BullMQ counted them. */
  retries: number;
}

/**
 * Runs an experiment's branches as jobs on the branches queue (`<queue>.branches`), on whichever workers
 * take them; each worker creates the branch's nested run under `parent.runId`. Branch retries are BullMQ
 * attempts with exponential backoff from `retryBackoffMs`, and a branch's retry count is BullMQ's. The
 * parent gets the same BranchResults and progress counts as in-process: a branch is `running` once a worker
 * took it. failFast and abort remove the branches no worker took yet (they end skipped, with a KILLED run,
 * as in-process); `concurrency` is the workers' business here (their `--concurrency` and their number).
 *
 * @example await withBranchExecutor(new QueueBranchExecutor(connection, 'mlops-kit'), () => runtime.runConfig(job));
 */
export class QueueBranchExecutor implements BranchExecutor {
  private queue: Queue | undefined;
  private events: Promise<QueueEvents> | undefined;

  constructor(
    private readonly connection: RedisConnectionOptions,
    private readonly name: string,
    private readonly pollMs = 1000,
  ) {}

  async run<TConfig extends Record<string, unknown>, TOutput>(request: BranchRequest<TConfig, TOutput>): Promise<BranchResults<TConfig, TOutput>> {
    const { variants, options, parent } = request;
    assertDistinct(variants);
    const branches = variants.map((config, index) => new Branch<TConfig, TOutput>(config, index, options.name?.(config, index)));
    const emit = () => options.onProgress?.(countBranches(branches));
    const events = await this.queueEvents();
    const queue = this.branchQueue();
    const retries = options.retries ?? 0;
    const added = await queue.addBulk(
      branches.map((branch) => ({
        name: branch.configId,
        data: {
          v: 1,
          branch: {
            configId: branch.configId,
            name: branch.name,
            config: branch.config,
            parentRunId: parent.runId,
            experimentId: parent.experimentId,
            ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
          },
        } satisfies BranchPayload,
        opts: { attempts: retries + 1, backoff: { type: 'exponential', delay: options.retryBackoffMs ?? 100 }, removeOnComplete: { age: 3600 }, removeOnFail: { age: 7 * 24 * 3600 } },
      })),
    );
    const byId = new Map(added.map((job, i) => [job.id!, branches[i]!]));
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let stopping = false;
      const pendingLogs: Promise<void>[] = [];
      const lifecycle = options.lifecycleLogger ?? new NoOpLifecycleLogger();
      const cleanup = () => {
        clearTimeout(timer);
        events.off('active', onActive);
        events.off('completed', onSettled);
        events.off('failed', onSettled);
        options.signal?.removeEventListener('abort', onAbort);
      };
      const finishIfDone = () => {
        if (!branches.every((b) => b.isFinal)) return;
        cleanup();
        void Promise.all(pendingLogs).then(() => resolve(new BranchResults(branches)), reject);
      };
      const interrupt = (branch: Branch<TConfig, TOutput>): void => {
        if (branch.status === 'pending') branch.start(Date.now());
        branch.fail(new JobInterruptedError(String(options.signal?.reason ?? 'cancelled')), Date.now());
        emit();
        finishIfDone();
      };
      const onAbort = () => stop();
      const onActive = ({ jobId }: { jobId: string }) => {
        const branch = byId.get(jobId);
        if (branch?.status === 'pending' && !options.signal?.aborted) {
          branch.start(Date.now());
          emit();
        }
      };
      const onSettled = ({ jobId }: { jobId: string }) => {
        if (byId.has(jobId)) void check(jobId);
      };
      // skip what no worker took yet (failFast, abort); on abort, stop waiting for what is running: in-process
      // its signal would abort it; here it finishes on its worker, under a parent that ends KILLED
      function stop(): void {
        if (options.signal?.aborted) for (const branch of branches) if (branch.status === 'running') interrupt(branch);
        if (stopping) return;
        stopping = true;
        for (const [id, branch] of byId) {
          if (branch.status !== 'pending') continue;
          pendingLogs.push(
            queue.remove(id).then(async (removed) => {
              if (branch.status !== 'pending') return;
              if (removed !== 1) {
                // a worker took it meanwhile: after an abort, stop waiting for it like for the other running ones
                if (options.signal?.aborted) interrupt(branch);
                return;
              }
              branch.skip(Date.now());
              emit();
              const runId = await lifecycle.startRun({ configId: branch.configId, name: branch.name, config: branch.config });
              branch.runId = runId;
              await lifecycle.logParams(runId, branch.config);
              await lifecycle.logStatus(runId, 'skipped', branch.endTs!, branch.endTs, 0);
            }, () => undefined)
              // recording a skipped branch is best effort, as in-process: its result in memory is what counts
              .catch(() => undefined)
              .finally(finishIfDone),
          );
        }
      }
      const check = async (id: string): Promise<void> => {
        const branch = byId.get(id)!;
        if (branch.isFinal) return;
        let job: BullJob | undefined;
        let state: string;
        try {
          job = await queue.getJob(id);
          state = job ? await job.getState() : 'unknown';
          // the job was read before it finished: read it again for its return value or failure
          if (job && (state === 'completed' || state === 'failed')) job = (await queue.getJob(id)) ?? job;
        } catch {
          return; // Redis is away: the next poll settles it
        }
        if (branch.isFinal) return;
        if (state === 'active' && branch.status === 'pending') onActive({ jobId: id });
        if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return;
        if (branch.status === 'pending') branch.start(job?.processedOn ?? Date.now());
        if (state === 'completed') {
          const value = job!.returnvalue as BranchReturn;
          branch.runId = value.runId;
          for (let i = 0; i < value.retries; i++) branch.recordRetry();
          branch.succeed(value.output as TOutput, job!.finishedOn ?? Date.now());
        } else {
          const data = (job?.data as BranchPayload | undefined)?.branch;
          if (data?.runId !== undefined) branch.runId = data.runId;
          for (let i = 1; i < (job?.attemptsMade ?? 1); i++) branch.recordRetry();
          const error = data?.exception ?? describeException(errorFromReason(job?.failedReason ?? `NOT_FOUND: branch job ${id} vanished from the queue`, id));
          branch.fail(Object.assign(new Error(error.message), { name: error.type, ...(error.code !== undefined && { code: error.code }) }), job?.finishedOn ?? Date.now());
          if (options.failFast) stop();
        }
        emit();
        finishIfDone();
      };
      const poll = async (): Promise<void> => {
        for (const [id, branch] of byId) if (!branch.isFinal) await check(id);
        if (!branches.every((b) => b.isFinal)) timer = setTimeout(() => void poll(), this.pollMs);
      };
      events.on('active', onActive);
      events.on('completed', onSettled);
      events.on('failed', onSettled);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) stop();
      emit();
      // events settle branches as they finish; the poll is the safety net for events missed during a reconnect
      timer = setTimeout(() => void poll(), this.pollMs);
    });
  }

  async close(): Promise<void> {
    const events = this.events;
    this.events = undefined;
    await Promise.all([this.queue?.close(), events?.then((e) => e.close())]);
  }

  private branchQueue(): Queue {
    if (!this.queue) {
      const { Queue } = loadBullMQ();
      this.queue = new Queue(branchQueueName(this.name), { connection: this.connection });
      this.queue.on('error', () => undefined);
    }
    return this.queue;
  }

  private queueEvents(): Promise<QueueEvents> {
    this.events ??= (async () => {
      const { QueueEvents } = loadBullMQ();
      const events = new QueueEvents(branchQueueName(this.name), { connection: this.connection });
      events.on('error', () => undefined);
      await events.waitUntilReady();
      return events;
    })();
    return this.events;
  }
}
