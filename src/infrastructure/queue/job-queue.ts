import type { Queue, QueueEvents } from 'bullmq';
import { BUILTIN_JOBS } from '../../application/jobs/builtin-jobs';
import type { JobResult } from '../../application/jobs/job';
import type { AnyJobDefinition } from '../../application/jobs/job-definition';
import { JobRegistry } from '../../application/jobs/job-registry';
import { errorFromReason } from './job-failure';
import { DEFAULT_QUEUE_NAME, loadBullMQ, redisConnection } from './bullmq';
import { jobPayload, type JobPayload } from './payload';

export interface JobQueueOptions {
  /** `redis://[user:password@]host:port[/db]` (credentials stay in this process; they are never in a payload). */
  url: string;
  /** Queue name; workers must use the same. Default `mlops-kit`. */
  name?: string;
  /** The app's own job kinds, so their configs validate before they are enqueued. */
  jobs?: readonly AnyJobDefinition[];
  /** How often `result()` also polls the job's state, in case a completion event was missed (ms, default 1000). */
  pollMs?: number;
}

export interface EnqueueOptions {
  /** Total tries (BullMQ `attempts`): a failed try is retried with exponential backoff. Default 1. */
  attempts?: number;
  /** First retry's delay, doubled each time (BullMQ exponential backoff). Default 1000 ms. */
  backoffMs?: number;
  /** Your own job id (e.g. a request id): enqueueing the same id twice is a no-op. */
  jobId?: string;
}

/** Where a queued job is: BullMQ's states, plus `unknown` for an id the queue does not hold (any more). */
export interface QueuedJobStatus {
  id: string;
  state: 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'prioritized' | 'waiting-children' | 'unknown';
  /** How many tries have failed so far. */
  attemptsMade: number;
  /** Set once completed. */
  result?: JobResult;
  /** Set once failed: `<CODE>: <message>`. */
  failedReason?: string;
}

export interface WaitOptions {
  /** Stops waiting (the job goes on in the queue) when aborted. */
  signal?: AbortSignal;
}

/**
 * The submitting side of the queue, for an app's API process (or `mlops-kit submit`): validates a job config
 * against the job kinds (a bad config is a ConfigError naming the key, and never reaches Redis), enqueues
 * only its `job:` section, and awaits or polls the result that a worker (`mlops-kit worker`, or
 * `startQueueWorker` inside an app) produces. Reconnects through Redis restarts.
 *
 * @example
 * const queue = connectJobQueue({ url: 'redis://queue:6379', jobs: [HelloJobDefinition] });
 * const { id } = await queue.enqueue({ KIND: 'ExperimentJob', name: 'l2-sweep', grid: { l2: [0, 0.1] } });
 * const status = await queue.status(id); // poll from a GET endpoint …
 * const result = await queue.result(id); // … or await the result
 * await queue.close();
 */
export class JobQueue {
  private readonly jobs: JobRegistry;
  private readonly queue: Queue;
  private events: Promise<QueueEvents> | undefined;

  constructor(private readonly options: JobQueueOptions) {
    this.jobs = new JobRegistry<AnyJobDefinition>([...BUILTIN_JOBS, ...(options.jobs ?? [])]);
    const { Queue } = loadBullMQ();
    this.queue = new Queue(this.name, { connection: redisConnection(options.url) });
    // BullMQ reports connection trouble as 'error' events; commands wait for the reconnect meanwhile
    this.queue.on('error', () => undefined);
  }

  /** The queue's name (workers must take from the same one). */
  get name(): string {
    return this.options.name ?? DEFAULT_QUEUE_NAME;
  }

  /**
   * Validates `job` (a `job:` section: `{ KIND, … }`) and enqueues it. Throws ConfigError, before touching
   * Redis, for an invalid config or one that carries a secret.
   */
  async enqueue(job: unknown, options: EnqueueOptions = {}): Promise<{ id: string }> {
    const payload = jobPayload(job, this.jobs, 'enqueue()');
    return this.add(payload, options);
  }

  /** Enqueues a payload that is already validated (the CLI's `submit` validates while loading files). */
  async add(payload: JobPayload, options: EnqueueOptions = {}): Promise<{ id: string }> {
    const attempts = options.attempts ?? 1;
    const added = await this.queue.add(payload.job.KIND, payload, {
      attempts,
      backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 },
      ...(options.jobId !== undefined && { jobId: options.jobId }),
      // results stay a day (or the last 1000) for pollers; failures a week, for whoever investigates
      removeOnComplete: { age: 24 * 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
    return { id: added.id! };
  }

  /** Where job `id` is now, with its result or failure once it has one. */
  async status(id: string): Promise<QueuedJobStatus> {
    let job = await this.queue.getJob(id);
    if (!job) return { id, state: 'unknown', attemptsMade: 0 };
    const state = (await job.getState()) as QueuedJobStatus['state'];
    // the job was read before it finished: read it again for its return value or failure
    if (state === 'completed' || state === 'failed') job = (await this.queue.getJob(id)) ?? job;
    return {
      id,
      state,
      attemptsMade: job.attemptsMade,
      ...(state === 'completed' && { result: job.returnvalue as JobResult }),
      ...(state === 'failed' && { failedReason: job.failedReason }),
    };
  }

  /**
   * Waits for job `id` to finish: resolves with its result, or rejects with its error rebuilt from the
   * queue (a ConfigError for a config the worker rejected, an MlopsError with the job's code otherwise).
   * Listens to the queue's events and also polls, so a missed event (a Redis restart) cannot hang it.
   */
  async result(id: string, options: WaitOptions = {}): Promise<JobResult> {
    const events = await this.queueEvents();
    const pollMs = this.options.pollMs ?? 1000;
    return new Promise<JobResult>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let done = false;
      const finish = (settle: () => void): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        events.off('completed', onCompleted);
        events.off('failed', onFailed);
        options.signal?.removeEventListener('abort', onAbort);
        settle();
      };
      const onCompleted = ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => {
        if (jobId === id) finish(() => resolve(parseReturn(returnvalue)));
      };
      const onFailed = ({ jobId, failedReason }: { jobId: string; failedReason: string }) => {
        // a failed try with tries left is retried: only the final failure settles
        if (jobId === id) void this.status(id).then((s) => s.state === 'failed' && finish(() => reject(errorFromReason(failedReason, id))), () => undefined);
      };
      const onAbort = () => finish(() => reject(options.signal!.reason));
      const poll = async (): Promise<void> => {
        try {
          const status = await this.status(id);
          if (status.state === 'completed') return finish(() => resolve(status.result ?? {}));
          if (status.state === 'failed') return finish(() => reject(errorFromReason(status.failedReason, id)));
          if (status.state === 'unknown') return finish(() => reject(errorFromReason(`NOT_FOUND: queue job ${id} is not in queue "${this.name}" (never enqueued, or removed after it finished).`, id)));
        } catch {
          // Redis is away: the next poll (or an event after the reconnect) settles it
        }
        if (!done) timer = setTimeout(() => void poll(), pollMs);
      };
      events.on('completed', onCompleted);
      events.on('failed', onFailed);
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      // the first look waits a moment: a short job's completion event comes first, and an early read would
      // only compete with the worker on Redis (it costs ~2 ms per job); an old, finished job waits 50 ms
      timer = setTimeout(() => void poll(), Math.min(pollMs, FIRST_POLL_MS));
    });
  }

  /** Closes the connections (jobs already enqueued stay in Redis for the workers). */
  async close(): Promise<void> {
    const events = this.events;
    this.events = undefined;
    await Promise.all([this.queue.close(), events?.then((e) => e.close())]);
  }

  /** The events subscription is opened on first wait: an app that only enqueues never holds the extra connection. */
  private queueEvents(): Promise<QueueEvents> {
    this.events ??= (async () => {
      const { QueueEvents } = loadBullMQ();
      const events = new QueueEvents(this.name, { connection: redisConnection(this.options.url) });
      events.on('error', () => undefined);
      await events.waitUntilReady();
      return events;
    })();
    return this.events;
  }
}

/** How long `result()` relies on events alone before it first reads the job's state. */
const FIRST_POLL_MS = 50;

/** QueueEvents hands the return value over as JSON text. */
function parseReturn(value: unknown): JobResult {
  if (typeof value !== 'string') return (value ?? {}) as JobResult;
  try {
    return JSON.parse(value) as JobResult;
  } catch {
    return { value };
  }
}

/**
 * Connects the submitting side of a queue (see {@link JobQueue}). Loads BullMQ on this first use.
 *
 * @example const queue = connectJobQueue({ url: process.env.QUEUE_URL! });
 */
export function connectJobQueue(options: JobQueueOptions): JobQueue {
  return new JobQueue(options);
}
