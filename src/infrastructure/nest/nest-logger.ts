import { Logger } from '@nestjs/common';
import type { ILogger, LogFields, LogLevel } from '../../domain/ports/logger';
import type { LoggingConfig } from '../config/schema';
import { DEFAULT_LOG_SOURCE } from '../logging/line-format';
import { Redactor, type StackPolicy } from '../logging/redaction';

/**
 * How {@link NestLoggerAdapter} is built. `MlopsModule` fills these from the container's config and
 * environment; an app building one itself passes its own.
 *
 * @example const options: NestLoggerAdapterOptions = { level: 'debug', secrets: [process.env.MLFLOW_TRACKING_PASSWORD ?? ''] };
 */
export interface NestLoggerAdapterOptions {
  /** Lines below this level are dropped before Nest sees them (the config's `logging.level`). Default `info`. */
  level?: LoggingConfig['level'];
  /** Secret values replaced by `***` wherever they appear, as WinstonLogger does. */
  secrets?: readonly string[];
  /** Which Errors in fields keep their stack (see WinstonLogger). Default: `unexpected` unless MLOPS_KIT_DEBUG is set. */
  stacks?: StackPolicy;
}

// winston's npm order (the config's levels): a line passes when its rank is at most the threshold's
const RANK: Record<LoggingConfig['level'], number> = { error: 0, warn: 1, info: 2, http: 3, verbose: 4, debug: 5, silly: 6 };

interface Shared {
  redactor: Redactor;
  threshold: number;
  /** One Nest Logger per context, made on first use: children and `source` fields share them. */
  loggers: Map<string, Logger>;
}

/**
 * mlops-kit's logger port written through Nest's `Logger`, so the runtime's, the adapters' and the jobs'
 * lines join the app's log stream: whatever `app.useLogger()` installed (Nest's ConsoleLogger, its JSON
 * mode, nestjs-pino …) formats and routes them, and Nest's log levels apply after `level`. A line's
 * source becomes its Nest context (`mlops-kit`, `mlops-kit:tracker`, `mlops-kit:GreetJob`). Fields are
 * redacted exactly as WinstonLogger redacts them and follow the message as one JSON object, so a line
 * stays one line in any Nest logger; the stack of an unexpected Error among an error line's fields goes
 * to Nest as the stack. `MlopsModule` binds it unless the app overrides `TYPES.Logger`.
 *
 * @example
 * const logger = new NestLoggerAdapter({ level: 'info', secrets: ['s3cr3t-pw'] });
 * logger.child('tracker').warn('retrying', { attempt: 2 }); // WARN [mlops-kit:tracker] retrying {"attempt":2}
 */
export class NestLoggerAdapter implements ILogger {
  readonly serviceName = 'logger';
  private shared: Shared;
  private source = DEFAULT_LOG_SOURCE;

  constructor(options: NestLoggerAdapterOptions = {}) {
    this.shared = {
      redactor: new Redactor(options.secrets, { stacks: options.stacks }),
      threshold: RANK[options.level ?? 'info'] ?? RANK.info,
      loggers: new Map(),
    };
  }

  // Nest's logger has no lifecycle of ours to manage: the app owns it
  async start(): Promise<void> {}

  async stop(): Promise<void> {}

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
    const child = new NestLoggerAdapter();
    child.shared = this.shared;
    child.source = source;
    return child;
  }

  private write(level: LogLevel, message: string, fields: LogFields | undefined): void {
    if (RANK[level] > this.shared.threshold) return;
    try {
      const { redactor } = this.shared;
      const redacted = fields ? redactor.fields(fields) : {};
      let source = this.source;
      if (typeof redacted.source === 'string') {
        source = redacted.source;
        delete redacted.source;
      }
      const stack = level === 'error' ? takeStack(redacted) : undefined;
      const suffix = Object.keys(redacted).length > 0 ? ` ${JSON.stringify(redacted)}` : '';
      const line = `${redactor.text(String(message))}${suffix}`;
      const logger = this.nestLogger(source);
      if (level === 'debug') logger.debug(line);
      else if (level === 'info') logger.log(line);
      else if (level === 'warn') logger.warn(line);
      else if (stack === undefined) logger.error(line);
      else logger.error(line, stack);
    } catch {
      // logging never throws into the code that logs
    }
  }

  private nestLogger(source: string): Logger {
    const context = source === DEFAULT_LOG_SOURCE ? source : `${DEFAULT_LOG_SOURCE}:${source}`;
    let logger = this.shared.loggers.get(context);
    if (logger === undefined) {
      logger = new Logger(context);
      this.shared.loggers.set(context, logger);
    }
    return logger;
  }
}

/** Moves the stack of the first serialized Error among the fields out of them (Nest prints it as the stack). */
function takeStack(fields: Record<string, unknown>): string | undefined {
  for (const value of Object.values(fields)) {
    const error = value as { stack?: unknown } | null;
    if (typeof error === 'object' && error !== null && typeof error.stack === 'string') {
      const { stack } = error;
      delete error.stack;
      return stack;
    }
  }
  return undefined;
}
