import type { LogFields, ILogger } from '../../domain/ports/logger';

/**
 * Holds any logger to what jobs assume: logging never throws. When a sink fails (a full disk, a closed
 * stream, an app's own logger that throws), the line is dropped and one notice goes to stderr naming the
 * cause, once for a logger and all its children, so a job whose work succeeded is never failed by its log.
 *
 * @example const logger = new GuardedLogger(appLogger); logger.info('never throws');
 */
export class GuardedLogger implements ILogger {
  readonly serviceName: string;

  constructor(
    private readonly inner: ILogger,
    private readonly report: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
    private readonly notice: { given: boolean } = { given: false },
  ) {
    this.serviceName = inner.serviceName;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }

  debug(message: string, fields?: LogFields): void {
    this.guard(() => this.inner.debug(message, fields));
  }

  info(message: string, fields?: LogFields): void {
    this.guard(() => this.inner.info(message, fields));
  }

  warn(message: string, fields?: LogFields): void {
    this.guard(() => this.inner.warn(message, fields));
  }

  error(message: string, fields?: LogFields): void {
    this.guard(() => this.inner.error(message, fields));
  }

  child(source: string): ILogger {
    try {
      return new GuardedLogger(this.inner.child(source), this.report, this.notice);
    } catch (error) {
      this.failed(error);
      return this;
    }
  }

  private guard(write: () => void): void {
    try {
      write();
    } catch (error) {
      this.failed(error);
    }
  }

  private failed(error: unknown): void {
    if (this.notice.given) return;
    this.notice.given = true;
    this.report(`mlops-kit: the logger failed (${error instanceof Error ? error.message : String(error)}); further lines from it are dropped.`);
  }
}
