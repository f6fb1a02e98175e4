/**
 * `mlops-kit/queue`: jobs and experiment branches on workers, over BullMQ and Redis (optional peers
 * `bullmq` and `ioredis`, loaded when a queue is first used).
 *
 * @example
 * import { connectJobQueue } from 'mlops-kit/queue';
 * const queue = connectJobQueue({ url: 'redis://127.0.0.1:6379' });
 * const { id } = await queue.enqueue({ KIND: 'TrainingJob', model: 'churn' });
 * const result = await queue.result(id);
 *
 * @packageDocumentation
 */
export * from '../infrastructure/queue/index';
export type { RedisConnectionOptions } from '../infrastructure/queue/bullmq';
