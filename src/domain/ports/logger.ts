import type { Service } from './service';

/**
 * The severity of a log line: one method of {@link ILogger} per level.
 *
 * @example const level: LogLevel = failed > 0 ? 'warn' : 'info'; logger[level](`${failed} branches failed`);
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * The {@link LogLevel}s from most to least verbose, for checking a level an app reads from its own input.
 *
 * @example const level = LOG_LEVELS.find((l) => l === process.env.APP_LOG_LEVEL) ?? 'info';
 */
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * Structured fields attached to a log line. Values under secret-looking keys are redacted by adapters.
 *
 * @example const fields: LogFields = { model: 'churn', version: 3 }; logger.info('model promoted', fields);
 */
export type LogFields = Record<string, unknown>;

/**
 * Structured logging port. `child(source)` returns a logger whose lines carry that source.
 *
 * @example const log = logger.child('billing'); log.info('scored batch', { rows: 1200 });
 */
export interface ILogger extends Service {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(source: string): ILogger;
}
