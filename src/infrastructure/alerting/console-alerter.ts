import type { AlertLevel, IAlerter } from '../../domain/ports/alerter';
import { Redactor } from '../logging/redaction';

export interface ConsoleAlerterOptions {
  /** Shown in brackets at the start of each line. Default `mlops-kit`. */
  appName?: string;
  /** Where lines go. Default `process.stderr`, so alerts never mix with a command's JSON on stdout. */
  stream?: NodeJS.WritableStream;
  /** Secret values replaced by `***` (URL credentials and Authorization headers are always hidden). */
  secrets?: readonly string[];
}

/**
 * The line every console alert is: `[<app>] <title>: <message>`, prefixed by `WARNING ` or `ERROR `
 * for those levels so they stand out in a terminal.
 *
 * @example formatAlertLine('mlops-kit', 'Promotion done', 'churn v7 is now @Champion'); // '[mlops-kit] Promotion done: churn v7 is now @Champion'
 */
export function formatAlertLine(appName: string, title: string, message: string, level: AlertLevel = 'info'): string {
  const line = `[${appName}] ${title}: ${message}`;
  return level === 'info' ? line : `${level.toUpperCase()} ${line}`;
}

/**
 * IAlerter that prints one line per alert to a stream (stderr by default). Never throws, even if the
 * stream is closed. DesktopAlerter's fallback when it has no logger; the container binds LoggerAlerter
 * (one log stream) when `alerts.enabled` is false.
 *
 * @example
 * const alerter = new ConsoleAlerter({ appName: 'churn-bot' });
 * await alerter.notify('Training failed', 'loss is NaN at step 120', 'error');
 * // stderr: ERROR [churn-bot] Training failed: loss is NaN at step 120
 */
export class ConsoleAlerter implements IAlerter {
  readonly serviceName = 'alerter';
  readonly appName: string;
  private readonly stream: NodeJS.WritableStream;
  private readonly redactor: Redactor;

  constructor(options: ConsoleAlerterOptions = {}) {
    this.appName = options.appName ?? 'mlops-kit';
    this.stream = options.stream ?? process.stderr;
    this.redactor = new Redactor(options.secrets);
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async notify(title: string, message: string, level: AlertLevel = 'info'): Promise<void> {
    this.print(formatAlertLine(this.appName, title, message, level));
  }

  /** Writes one line (redacted) and swallows stream errors: an alert must not fail the job. */
  print(line: string): void {
    try {
      this.stream.write(`${this.redactor.text(line)}\n`);
    } catch {
      // the stream is gone; there is nowhere left to say it
    }
  }
}
