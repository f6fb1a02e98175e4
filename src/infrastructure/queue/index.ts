/**
 * The queue: jobs (and experiment branches) run on worker processes through BullMQ on Redis. Import it from
 * here so an app that never uses the queue never loads bullmq or ioredis (optional peer dependencies).
 */
export { connectJobQueue, JobQueue, type EnqueueOptions, type JobQueueOptions, type QueuedJobStatus, type WaitOptions } from './job-queue';
export { startQueueWorker, QueueWorker, type QueueWorkerCloseOptions, type QueueWorkerOptions } from './queue-worker';
export { jobPayload, readJobPayload, type JobPayload } from './payload';
export { QUEUE_JOB_TAG } from './run-marking';
export { DEFAULT_QUEUE_NAME, redisConnection } from './bullmq';
export { QueueBranchExecutor, type BranchReturn } from './queue-branch-executor';
