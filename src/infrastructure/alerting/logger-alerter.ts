import type { AlertLevel, IAlerter } from '../../domain/ports/alerter';
import type { ILogger, LogLevel } from '../../domain/ports/logger';

const LOG_LEVEL: Record<AlertLevel, LogLevel> = { info: 'info', warning: 'warn', error: 'error' };

/**
 * IAlerter that writes each alert as one line of the app's own log, so an app has one log stream: in
 * `logging.format: json` an alert is a JSON line like any other (`source: "alerts"`, fields `alert`,
 * `title`, `app`), and the logger redacts it. What `alerts.enabled: false` binds; a bare line on stderr
 * (ConsoleAlerter) would bypass the logger's format, level and sink.
 *
 * @example
 * const alerter = new LoggerAlerter(logger.child('alerts'), { appName: 'churn-bot' });
 * await alerter.notify('Training failed', 'loss is NaN at step 120', 'error');
 * // {"level":"error","source":"alerts","message":"Training failed: loss is NaN at step 120","alert":true,"title":"Training failed","app":"churn-bot"}
 */
export class LoggerAlerter implements IAlerter {
  readonly serviceName = 'alerter';
  readonly appName: string;

  constructor(
    private readonly logger: ILogger,
    options: { appName?: string } = {},
  ) {
    this.appName = options.appName ?? 'mlops-kit';
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async notify(title: string, message: string, level: AlertLevel = 'info'): Promise<void> {
    try {
      this.logger[LOG_LEVEL[level] ?? 'info'](`${title}: ${message}`, { alert: true, title, app: this.appName });
    } catch {
      // an alert must not fail the job, even with a broken logger
    }
  }
}
