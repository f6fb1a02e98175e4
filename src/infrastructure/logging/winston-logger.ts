import { config, type LogEntry, type Logger } from 'winston';
import { ConfigError, ErrorCodes } from '../../domain/errors';
import type { ILogger, LogFields, LogLevel } from '../../domain/ports/logger';
import { DEFAULT_LOG_SOURCE, RESERVED_KEYS, type LogFormat } from './line-format';
import { Redactor, type StackPolicy } from './redaction';
import { WinstonSink } from './winston-sink';

/** winston's npm levels; the config accepts all of them, the port logs with four. */
export type WinstonLevel = 'error' | 'warn' | 'info' | 'http' | 'verbose' | 'debug' | 'silly';

export interface WinstonLoggerOptions {
  /** Lines below this level are dropped before any work is done. Default `info`. */
  level?: WinstonLevel;
  /** `stderr` (default), `stdout`, or a file path (appended to; parent directories are created). */
  sink?: string;
  /** `pretty` (default): one human line; `json`: one JSON object per line. */
  format?: LogFormat;
  /** Secret values replaced by `***` wherever they appear (see `redactionSecretsFromEnv`). */
  secrets?: readonly string[];
  /** Source of the root logger's lines. Default `mlops-kit`. */
  source?: string;
  /** Force ANSI colours on or off. Default: on for a terminal with the pretty format, unless NO_COLOR is set. */
  colors?: boolean;
  /**
   * Which Errors in fields keep their stack: `unexpected` (not an MlopsError: a bug) or `all`. Default: `all`
   * with MLOPS_KIT_DEBUG=1, else `unexpected`, so an expected failure (model not found) is one line.
   */
  stacks?: StackPolicy;
}

const LEVELS: Record<string, number> = config.npm.levels;

interface Shared {
  sink: WinstonSink;
  redactor: Redactor;
  threshold: number;
}

/**
 * ILogger on winston. Every line carries timestamp, level and source; fields are redacted (secret-looking
 * keys at any depth, known secret values, URL credentials, Authorization headers; see redaction.ts) and
 * Errors in fields become `{ name, message, code, stack }`. A field named `source` replaces the line's
 * source; fields named timestamp/level/message are written as `_timestamp`/`_level`/`_message`.
 *
 * The sink opens on `start()` (or the first line) and `stop()` flushes it: when `stop()` resolves, a file
 * sink holds every line. stdout/stderr are never closed. Logging after `stop()` is a silent no-op until
 * `start()` opens the sink again.
 * `child(source)` shares the sink; a child's start/stop do nothing, the root owns the sink.
 *
 * @example
 * const logger = new WinstonLogger({ level: 'debug', sink: 'logs/run.log', format: 'json', secrets: redactionSecretsFromEnv(process.env) });
 * await logger.start();
 * logger.child('tracker').info('Logged metrics', { runId, count: 3 });
 * await logger.stop();
 */
export class WinstonLogger implements ILogger {
  readonly serviceName = 'logger';
  private shared: Shared;
  private source: string;
  private isRoot = true;
  private target: Logger | undefined;
  /** The root `target` was made from: a restarted sink has a new root, so the child is made again. */
  private targetRoot: Logger | undefined;

  constructor(options: WinstonLoggerOptions = {}) {
    const level = options.level ?? 'info';
    if (LEVELS[level] === undefined) {
      throw new ConfigError(
        `logging.level: unknown level "${String(level)}". Use one of ${Object.keys(LEVELS).join(', ')}.`,
        ErrorCodes.CONFIG_INVALID,
        { details: { keyPath: 'logging.level' } },
      );
    }
    this.source = options.source ?? DEFAULT_LOG_SOURCE;
    this.shared = {
      sink: new WinstonSink({ level, sink: options.sink ?? 'stderr', format: options.format ?? 'pretty', source: this.source, colors: options.colors }),
      redactor: new Redactor(options.secrets, { stacks: options.stacks }),
      threshold: LEVELS[level],
    };
  }

  async start(): Promise<void> {
    if (this.isRoot) await this.shared.sink.start();
  }

  async stop(): Promise<void> {
    if (this.isRoot) await this.shared.sink.stop();
  }

  debug(message: string, fields?: LogFields): void {
    this.write('debug', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.write('info', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.write('warn', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.write('error', message, fields);
  }

  child(source: string): ILogger {
    // the sink is created lazily, so this throwaway construction costs two small objects
    const child = new WinstonLogger();
    child.shared = this.shared;
    child.source = source;
    child.isRoot = false;
    return child;
  }

  private write(level: LogLevel, message: string, fields: LogFields | undefined): void {
    // filtered lines cost one comparison: no redaction, no winston
    if (LEVELS[level] > this.shared.threshold) return;
    try {
      const root = this.shared.sink.get();
      if (!root) return;
      if (this.targetRoot !== root) {
        this.target = root.child({ source: this.source });
        this.targetRoot = root;
      }
      const { redactor } = this.shared;
      const entry: LogEntry = { level, message: redactor.text(String(message)) };
      if (fields) {
        for (const [key, value] of Object.entries(redactor.fields(fields))) entry[RESERVED_KEYS.has(key) ? `_${key}` : key] = value;
      }
      this.target!.log(entry);
    } catch {
      // logging never throws into the code that logs
    }
  }
}
