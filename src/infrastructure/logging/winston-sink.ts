import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLogger, format, transports, type Logger } from 'winston';
import { ConfigError, ErrorCodes } from '../../domain/errors';
import { statOrUndefined, writablePathProblem } from '../config/path-checks';
import { renderJson, renderPretty, toRecord, type LogFormat } from './line-format';

export interface WinstonSinkSettings {
  level: string;
  /** `stderr`, `stdout`, or a file path (appended to; parent directories are created). */
  sink: string;
  format: LogFormat;
  source: string;
  /** Default: ANSI colours when the sink is a terminal, the format is pretty and NO_COLOR is unset. */
  colors?: boolean;
}

/**
 * The one winston logger and output stream a WinstonLogger and all its children share. It owns the
 * lifecycle: created on first use (so an unused logger opens no file), ended by `stop()`. After `stop()`
 * lines are dropped rather than written to an ended stream, until `start()` opens a new one (a runtime
 * that closes and starts again).
 *
 * @example const sink = new WinstonSink({ level: 'info', sink: 'stderr', format: 'json' }); // shared by a logger and its children
 */
export class WinstonSink {
  private logger: Logger | undefined;
  private file: fs.WriteStream | undefined;
  private openError: ConfigError | undefined;
  private stopped = false;
  private stopping: Promise<void> | undefined;
  private reported = false;

  constructor(private readonly settings: WinstonSinkSettings) {}

  /** The root winston logger, created on first use; undefined once stopped. */
  get(): Logger | undefined {
    if (this.stopped) return undefined;
    this.logger ??= this.create(false);
    return this.logger;
  }

  /** Opens the sink now, so a log file that cannot be written is a start-up error, not a lost log. */
  async start(): Promise<void> {
    if (this.stopped) {
      await this.stopping;
      this.stopped = false;
      this.stopping = undefined;
      this.logger = undefined;
      this.file = undefined;
      this.openError = undefined;
    }
    this.logger ??= this.create(true);
    if (this.openError) throw this.openError;
  }

  /** Ends winston, waits until every line reached the stream, then closes a file sink (never stdout/stderr). */
  stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true; // first, so a line logged while flushing is dropped instead of written after end
      this.stopping = this.flush();
    }
    return this.stopping ?? Promise.resolve();
  }

  private async flush(): Promise<void> {
    const logger = this.logger;
    if (!logger) return;
    // winston's _final waits for its transports' 'finish', so 'finish' here means every line was written
    const finished = once(logger, 'finish');
    logger.end();
    await finished;
    const file = this.file;
    if (file && !file.destroyed) {
      const closed = once(file, 'close');
      file.end();
      await closed;
    }
  }

  private create(fromStart: boolean): Logger {
    const { level, format: lineFormat, source } = this.settings;
    const stream = this.open(fromStart);
    const colors = this.settings.colors ?? (stream !== this.file && lineFormat === 'pretty' && isTerminal(stream) && !('NO_COLOR' in process.env));
    const render = format.printf((info) => {
      const record = toRecord(info as Record<string, unknown>, source);
      return lineFormat === 'json' ? renderJson(record) : renderPretty(record, colors);
    });
    const logger = createLogger({
      level,
      format: format.combine(format.timestamp(), render),
      transports: [new transports.Stream({ stream, eol: '\n' })],
      exitOnError: false,
    });
    logger.on('error', (error: Error) => this.report(`logging failed (${error.message}); some lines may be lost`));
    return logger;
  }

  private open(fromStart: boolean): NodeJS.WritableStream {
    const { sink } = this.settings;
    if (sink === 'stderr') return process.stderr;
    if (sink === 'stdout') return process.stdout;
    const file = path.resolve(sink);
    try {
      // Node's recursive mkdir spins forever under /proc: refuse before touching it
      const virtual = writablePathProblem(file);
      if (virtual) throw new Error(`the path ${virtual}`);
      if (statOrUndefined(file)?.isDirectory()) throw new Error('it is a directory; name a file inside it');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      // opened synchronously so a bad path is known now, not as a late 'error' event after lines were lost
      const fd = fs.openSync(file, 'a');
      this.file = fs.createWriteStream(file, { fd });
      this.file.on('error', (error: Error) => this.report(`cannot write log file ${file} (${error.message}); later lines are lost`));
      return this.file;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.openError = new ConfigError(
        `logging.sink: cannot open log file ${file} for appending (${reason}). ` +
          'Create the directory or make it writable, or set logging.sink to stderr.',
        ErrorCodes.CONFIG_INVALID,
        { details: { keyPath: 'logging.sink', path: file } },
      );
      if (!fromStart) this.report(`${this.openError.message} Logging to stderr instead.`);
      return process.stderr;
    }
  }

  /** A logger must never crash the process or throw into the caller: problems get one line on stderr. */
  private report(line: string): void {
    if (this.reported) return;
    this.reported = true;
    try {
      process.stderr.write(`mlops-kit: ${line}\n`);
    } catch {
      // stderr itself is gone: nothing left to tell
    }
  }
}

function isTerminal(stream: NodeJS.WritableStream): boolean {
  return (stream as NodeJS.WriteStream).isTTY === true;
}
