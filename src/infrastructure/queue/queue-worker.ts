import { ErrorCodes, errorCodeOf } from '../../domain/errors';
import { hostname } from 'node:os';
import type { Job as BullJob, Queue, Worker } from 'bullmq';
import type { AnyJobDefinition } from '../../application/jobs/job-definition';
import type { JobRuntime } from '../../application/runtime/job-runtime';
import type { ILogger } from '../../domain/ports/logger';
import { TYPES } from '../../domain/tokens';
import { createRuntime } from '../container/create-runtime';
import type { MlopsContainer } from '../container/mlops-container';
import { DEFAULT_QUEUE_NAME, loadBullMQ, redisConnection } from './bullmq';
import { failureReason, isPermanent } from './job-failure';
import { readJobPayload } from './payload';
import { withBranchExecutor } from '../../application/experiments/branch-executor';
import { BranchProcessor } from './branch-processor';
import { branchQueueName, readBranchPayload } from './branch-payload';
import { QueueBranchExecutor } from './queue-branch-executor';
import { endStaleRuns, inQueueJob, markQueueRuns } from './run-marking';

export interface QueueWorkerOptions {
  /** The worker process's container (its service config and credentials come from ITS config and env). */
  container: MlopsContainer<AnyJobDefinition>;
  /** `redis://host:6379[/db]`, as the submitters use. */
  url: string;
  /** Queue name; default `mlops-kit`. */
  name?: string;
  /** Jobs this worker runs at once, on the one runtime. Default 1 (CPU-bound work: one worker process per core). */
  concurrency?: number;
  /** A job's lock lives this long without renewal (ms, default 30 s): how soon a dead worker's job is noticed. */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs (ms, default 30 s). */
  stalledIntervalMs?: number;
  /** How many times a job may stall (its worker died) and still be re-run; then it fails. Default 1. */
  maxStalledCount?: number;
}

export interface QueueWorkerCloseOptions {
  /** How long running jobs may take to finish; then they are interrupted and handed back to the queue. Default 30 s. */
  drainMs?: number;
}

/**
 * A BullMQ worker that runs queued job configs on ONE started JobRuntime (services started once per process,
 * not per job), `concurrency` at a time, and experiment branches from `<queue>.branches` (as many again, so
 * an ExperimentJob it runs, which sends its branches there, never waits for a slot it holds). Every run a queue job creates is tagged `mlops.queue.job` and noted
 * with the job, so when a worker dies mid-job (BullMQ's stalled-job check re-queues it) the next attempt
 * first ends the runs the dead worker left RUNNING as KILLED. Config errors fail the job at once (no retry);
 * other errors are retried when the job was enqueued with attempts. Closing drains: running jobs finish
 * (up to `drainMs`), then are interrupted (their runs end KILLED) and go back to the queue for another worker.
 *
 * @example
 * const container = createContainer({ config, env });
 * const worker = await startQueueWorker({ container, url: 'redis://queue:6379', concurrency: 2 });
 * process.on('SIGTERM', () => void worker.close().then(() => createRuntime(container).close()));
 */
export class QueueWorker {
  private worker: Worker | undefined;
  private branchWorker: Worker | undefined;
  private queue: Queue | undefined;
  private branchQueue: Queue | undefined;
  private branchExecutor: QueueBranchExecutor | undefined;
  private readonly branches: BranchProcessor;
  private closing: Promise<void> | undefined;
  private readonly running = new Map<string, AbortController>();
  private readonly runtime: JobRuntime<AnyJobDefinition>;
  private readonly logger: ILogger;

  constructor(private readonly options: QueueWorkerOptions) {
    // before the runtime resolves the tracker: runs of queue jobs must be marked from the first one
    markQueueRuns(options.container);
    this.runtime = createRuntime(options.container);
    this.logger = options.container.get(TYPES.Logger).child('queue-worker');
    this.branches = new BranchProcessor(() => options.container.get(TYPES.Tracker));
  }

  /** The queue's name. */
  get name(): string {
    return this.options.name ?? DEFAULT_QUEUE_NAME;
  }

  /** Starts the runtime (idempotent: an app may have started it already) and begins taking jobs. */
  async start(): Promise<void> {
    await this.runtime.start();
    const { Worker, Queue } = loadBullMQ();
    const connection = redisConnection(this.options.url);
    this.queue = new Queue(this.name, { connection });
    this.queue.on('error', () => undefined);
    this.branchQueue = new Queue(branchQueueName(this.name), { connection });
    this.branchQueue.on('error', () => undefined);
    this.branchExecutor = new QueueBranchExecutor(connection, this.name);
    const settings = {
      connection,
      // stored on each job it takes (`processedBy`): which worker ran what, for whoever investigates
      name: `${hostname()}:${process.pid}`,
      concurrency: this.options.concurrency ?? 1,
      lockDuration: this.options.lockDurationMs ?? 30_000,
      stalledInterval: this.options.stalledIntervalMs ?? 30_000,
      maxStalledCount: this.options.maxStalledCount ?? 1,
    };
    // jobs and branches take separate queues (and slots): an experiment waiting for its branches never starves them
    this.worker = new Worker(this.name, (job, token, signal) => this.process(job, token, signal, 'job'), settings);
    this.branchWorker = new Worker(branchQueueName(this.name), (job, token, signal) => this.process(job, token, signal, 'branch'), settings);
    let connectionErrors = 0;
    for (const worker of [this.worker, this.branchWorker]) {
      worker.on('error', (error) => {
        // one line per outage, not one per reconnect attempt
        if (connectionErrors++ === 0) this.logger.warn(`Queue connection problem: ${error.message}; reconnecting`, { queue: this.name });
      });
      worker.on('ready', () => (connectionErrors = 0));
    }
    await Promise.all([this.worker.waitUntilReady(), this.branchWorker.waitUntilReady()]);
    this.logger.info(`Worker on queue "${this.name}": ${this.options.concurrency ?? 1} at a time`, { queue: this.name });
  }

  /** How many queue jobs this worker runs now. */
  get runningJobs(): number {
    return this.running.size;
  }

  /**
   * Stops taking jobs and waits up to `drainMs` for running ones; the rest are interrupted (runs KILLED) and
   * moved back to the queue. Leaves the runtime running (the app or the CLI closes it).
   */
  close(options: QueueWorkerCloseOptions = {}): Promise<void> {
    this.closing ??= this.shutDown(options.drainMs ?? 30_000);
    return this.closing;
  }

  private async shutDown(drainMs: number): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const closed = Promise.all([worker.close(), this.branchWorker?.close()]);
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([closed.then(() => true), new Promise<false>((r) => (timer = setTimeout(() => r(false), drainMs)))]);
    clearTimeout(timer);
    if (!drained) {
      this.logger.warn(`Closing: ${this.running.size} queue job(s) still running after ${drainMs} ms; interrupting them and handing them back to the queue`);
      for (const controller of this.running.values()) controller.abort('worker closing');
      await closed;
    }
    await Promise.all([this.queue?.close(), this.branchQueue?.close(), this.branchExecutor?.close()]);
  }

  private async process(job: BullJob, token: string | undefined, bullSignal: AbortSignal | undefined, what: 'job' | 'branch'): Promise<unknown> {
    const id = job.id!;
    const queue = what === 'job' ? this.queue! : this.branchQueue!;
    let work: (signal: AbortSignal) => Promise<unknown>;
    // more starts than finished attempts: an earlier start never finished (its worker died, the job stalled)
    const abandoned = job.attemptsStarted - 1 > job.attemptsMade || job.stalledCounter > 0;
    try {
      if (what === 'job') {
        const payload = readJobPayload(job.data);
        work = (signal) => withBranchExecutor(this.branchExecutor!, () => this.runtime.runConfig(payload.job, { signal }));
      } else {
        const payload = readBranchPayload(job.data);
        await this.runtime.ensureServices(['tracker']);
        // every branch failure is retried while attempts remain, as in-process (where a retry may read a fixed file)
        work = (signal) => this.branches.process(job, payload, signal, { freshRun: abandoned, permanent: () => false });
      }
    } catch (error) {
      throw await this.failure(error);
    }
    // end whatever an abandoned attempt left RUNNING (its worker is gone: nobody else will)
    if (abandoned) await this.endStaleRuns(queue, id);
    const controller = new AbortController();
    const onBullAbort = () => controller.abort('cancelled through the queue');
    bullSignal?.addEventListener('abort', onBullAbort, { once: true });
    // ids are counters per queue: a job and a branch may share one
    const ref = `${queue.name}/${id}`;
    this.running.set(ref, controller);
    try {
      const scope = { ref, record: (runId: string) => job.log(`run ${runId}`).then(() => undefined) };
      return await inQueueJob(scope, () => work(controller.signal));
    } catch (error) {
      const shuttingDown = (this.closing !== undefined && controller.signal.aborted) || errorCodeOf(error) === ErrorCodes.RUNTIME_CLOSED;
      if (shuttingDown && token !== undefined) {
        // interrupted by our shutdown (or taken while the runtime was already closing), not failed: back to
        // the queue at once, without spending an attempt
        const { DelayedError } = loadBullMQ();
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      throw what === 'branch' ? new Error(failureReason(error)) : await this.failure(error);
    } finally {
      bullSignal?.removeEventListener('abort', onBullAbort);
      this.running.delete(ref);
    }
  }

  /** The error BullMQ records: `<CODE>: <message>`, unrecoverable (no retry) for config errors. */
  private async failure(error: unknown): Promise<Error> {
    const { UnrecoverableError } = loadBullMQ();
    return isPermanent(error) ? new UnrecoverableError(failureReason(error)) : new Error(failureReason(error));
  }

  private async endStaleRuns(queue: Queue, id: string): Promise<void> {
    const { logs } = await queue.getJobLogs(id);
    const runIds = logs.filter((line) => line.startsWith('run ')).map((line) => line.slice(4));
    if (runIds.length === 0) return;
    await endStaleRuns(this.options.container.get(TYPES.Tracker), runIds, this.logger);
  }
}

/**
 * Creates and starts a {@link QueueWorker}. Build the container for this purpose (or at least before anything
 * resolved its tracker), so every run of a queue job is marked.
 *
 * @example const worker = await startQueueWorker({ container, url: 'redis://queue:6379' });
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const worker = new QueueWorker(options);
  await worker.start();
  return worker;
}
