import type { Service } from './service';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Structured fields attached to a log line. Values under secret-looking keys are redacted by adapters. */
export type LogFields = Record<string, unknown>;

/** Structured logging port. `child(source)` returns a logger whose lines carry that source. */
export interface ILogger extends Service {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(source: string): ILogger;
}
