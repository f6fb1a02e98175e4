import type { ILogger, LogFields, LogLevel } from '../../domain/ports/logger';
import { LOG_LEVELS } from '../../domain/ports/logger';
import { Redactor } from './redaction';
import { DEFAULT_LOG_SOURCE } from './line-format';

/** One recorded line. `fields` are redacted copies; Errors in them are `{ name, message, code, stack }`. */
export interface MemoryLogEntry {
  level: LogLevel;
  message: string;
  fields: LogFields;
  source: string;
  /** ISO 8601, like the timestamp of a WinstonLogger line. */
  timestamp: string;
}

export interface MemoryLoggerOptions {
  /** Secret values replaced by `***`, exactly as WinstonLogger does, so tests can assert they never appear. */
  secrets?: readonly string[];
  /** Lines below this level are not recorded. Default `debug` (everything). */
  level?: LogLevel;
  /** Source of the root logger's lines. Default `mlops-kit`. */
  source?: string;
}

interface Store {
  entries: MemoryLogEntry[];
  redactor: Redactor;
  threshold: number;
}

/**
 * ILogger that keeps lines in memory for tests, with the same redaction and `source` rules as
 * WinstonLogger. Children share the root's entries. Recording works before `start()` and after `stop()`
 * (both are no-ops), so a test can see the lines a job logs while it shuts down.
 *
 * @example
 * const logger = new MemoryLogger({ secrets: ['s3cr3t-pw'] });
 * logger.child('tracker').warn('retrying', { attempt: 2 });
 * expect(logger.find((e) => e.source === 'tracker')?.fields).toEqual({ attempt: 2 });
 * expect(logger.messages()).toContain('retrying');
 */
export class MemoryLogger implements ILogger {
  readonly serviceName = 'logger';
  private store: Store;
  private source: string;

  constructor(options: MemoryLoggerOptions = {}) {
    this.store = { entries: [], redactor: new Redactor(options.secrets), threshold: LOG_LEVELS.indexOf(options.level ?? 'debug') };
    this.source = options.source ?? DEFAULT_LOG_SOURCE;
  }

  /** Every recorded line, oldest first, from this logger and all its children. */
  get entries(): readonly MemoryLogEntry[] {
    return this.store.entries;
  }

  /** The messages, optionally of one level only. */
  messages(level?: LogLevel): string[] {
    return this.store.entries.filter((e) => level === undefined || e.level === level).map((e) => e.message);
  }

  find(predicate: (entry: MemoryLogEntry) => boolean): MemoryLogEntry | undefined {
    return this.store.entries.find(predicate);
  }

  /** Forgets every line (for children too: the array is shared and emptied in place). */
  clear(): void {
    this.store.entries.length = 0;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  debug(message: string, fields?: LogFields): void {
    this.record('debug', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.record('info', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.record('warn', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.record('error', message, fields);
  }

  child(source: string): ILogger {
    const child = new MemoryLogger();
    child.store = this.store;
    child.source = source;
    return child;
  }

  private record(level: LogLevel, message: string, fields: LogFields | undefined): void {
    if (LOG_LEVELS.indexOf(level) < this.store.threshold) return;
    const { redactor } = this.store;
    const redacted = fields ? redactor.fields(fields) : {};
    let source = this.source;
    if (typeof redacted.source === 'string') {
      source = redacted.source;
      delete redacted.source;
    }
    this.store.entries.push({
      level,
      message: redactor.text(String(message)),
      fields: redacted,
      source,
      timestamp: new Date().toISOString(),
    });
  }
}
