import type * as BullMQ from 'bullmq';
import { ConfigError, ErrorCodes, UsageError } from '../../domain/errors';

/**
 * BullMQ (and ioredis under it) are optional peer dependencies: required here, on first use, so an app or a
 * CLI run that never touches the queue never loads them. Missing → ConfigError ADAPTER_NOT_AVAILABLE (exit 2).
 *
 * @example const { Queue } = loadBullMQ();
 */
export function loadBullMQ(): typeof BullMQ {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('bullmq') as typeof BullMQ;
  } catch (error) {
    throw new ConfigError(
      `The queue needs the packages bullmq and ioredis, which could not be loaded (${(error as Error).message}). Install them with npm install bullmq ioredis.`,
      ErrorCodes.ADAPTER_NOT_AVAILABLE,
    );
  }
}

/** The ioredis options BullMQ passes through (a subset: what a `redis://` URL can say). */
export interface RedisConnectionOptions {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: Record<string, never>;
  /** BullMQ's workers need `null`: a blocking command must wait through a reconnect, not fail. */
  maxRetriesPerRequest: null;
  /** Reconnect forever, backing off to 2 s: a Redis restart must not end a worker or a waiting submitter. */
  retryStrategy: (times: number) => number;
}

/**
 * Parses `redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS) into connection options.
 * A malformed URL is a UsageError naming the flag or option it came from; the password never prints.
 *
 * @example redisConnection('redis://127.0.0.1:6379/2', '--queue'); // { host: '127.0.0.1', port: 6379, db: 2, … }
 */
export function redisConnection(url: string, where = 'queue url'): RedisConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${where}: "${url.replace(/[^\s/]*@/, '***@')}" is not a URL. Use redis://host:6379 (or rediss:// for TLS).`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new UsageError(`${where}: unsupported scheme "${parsed.protocol}". Use redis://host:6379 (or rediss:// for TLS).`);
  }
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined;
  if (db !== undefined && (!Number.isInteger(db) || db < 0)) {
    throw new UsageError(`${where}: the database "${parsed.pathname.slice(1)}" is not a number; use redis://host:6379/0.`);
  }
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username && { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password && { password: decodeURIComponent(parsed.password) }),
    ...(db !== undefined && { db }),
    ...(parsed.protocol === 'rediss:' && { tls: {} }),
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 100, 2000),
  };
}

/** The queue every job goes to unless an app names another (one queue per deployment is the common case). */
export const DEFAULT_QUEUE_NAME = 'mlops-kit';
