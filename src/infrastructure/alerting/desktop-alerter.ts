import type { AlertLevel, IAlerter } from '../../domain/ports/alerter';
import { Redactor } from '../logging/redaction';
import { ConsoleAlerter, formatAlertLine } from './console-alerter';
import { LoggerAlerter } from './logger-alerter';
import type { ILogger } from '../../domain/ports/logger';

/** The part of node-notifier this adapter uses. On success the callback's first argument is NOT null
 * (node-notifier passes a string, often ''), so only an `Error` counts as a failure. */
export interface Notifier {
  notify(options: { title: string; message: string; wait?: boolean }, callback: (error: unknown, response?: unknown) => void): unknown;
}

export interface DesktopAlerterOptions {
  /** Prefix of the notification title and of console lines. Default `mlops-kit`. */
  appName?: string;
  /** Default: node-notifier, required on the first alert so start-up never pays for it. */
  notifier?: Notifier;
  /** Where the console fallback goes. Default `process.stderr`. */
  stream?: NodeJS.WritableStream;
  /** How long to wait for the notifier's callback before falling back. Default 5000 ms. */
  timeoutMs?: number;
  /** Secret values replaced by `***` on the desktop and on the console (URL credentials and
   * Authorization headers are always hidden). */
  secrets?: readonly string[];
  /**
   * Where the fallback goes instead of `stream`: the app's logger, so fallback alerts are lines of its one
   * log stream (JSON in json mode). The container passes its logger.
   */
  logger?: ILogger;
}

type Outcome = { shown: true } | { shown: false; reason: string };

/**
 * IAlerter that shows a desktop notification through node-notifier and falls back to the console when it
 * cannot: no `notify-send`, no D-Bus session (SSH, CI, containers), node-notifier missing, or no answer
 * within `timeoutMs`. The fallback writes through `logger` when given (the container's choice: one log
 * stream), else prints `[<app>] <title>: <message>` to stderr; and, once per alerter,
 * a line saying why desktop notifications are unavailable. After the first failure it stops trying, so
 * later alerts neither wait nor spawn a process. Never throws.
 *
 * @example
 * const alerter = new DesktopAlerter({ appName: 'churn-bot' });
 * await alerter.notify('Promotion done', 'churn v7 is now @Champion');
 * // headless: "[churn-bot] desktop notifications unavailable (notify-send not found); alerts go to the console"
 * //           "[churn-bot] Promotion done: churn v7 is now @Champion"
 */
export class DesktopAlerter implements IAlerter {
  readonly serviceName = 'alerter';
  private readonly appName: string;
  private readonly console: ConsoleAlerter;
  private readonly redactor: Redactor;
  private readonly timeoutMs: number;
  private notifier: Notifier | undefined;
  private unavailable: string | undefined;
  private readonly pending = new Set<Promise<void>>();
  private readonly logger: ILogger | undefined;
  private readonly logged: LoggerAlerter | undefined;

  constructor(options: DesktopAlerterOptions = {}) {
    this.appName = options.appName ?? 'mlops-kit';
    this.notifier = options.notifier;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.redactor = new Redactor(options.secrets);
    this.console = new ConsoleAlerter({ appName: this.appName, stream: options.stream, secrets: options.secrets });
    this.logged = options.logger && new LoggerAlerter(options.logger, { appName: this.appName });
    this.logger = options.logger;
  }

  async start(): Promise<void> {}

  /** Waits for alerts still on their way (each bounded by `timeoutMs`), so none is lost at exit. */
  async stop(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  notify(title: string, message: string, level: AlertLevel = 'info'): Promise<void> {
    const delivery = this.deliver(this.redactor.text(title), this.redactor.text(message), level);
    this.pending.add(delivery);
    return delivery.finally(() => this.pending.delete(delivery));
  }

  private async deliver(title: string, message: string, level: AlertLevel): Promise<void> {
    if (this.unavailable === undefined) {
      const outcome = await this.show(title, message);
      if (outcome.shown) return;
      // checked again: two alerts sent at once both fail, but the reason is told once
      if (this.unavailable === undefined) {
        this.unavailable = outcome.reason;
        if (this.logger) this.logger.info(`Desktop notifications unavailable (${outcome.reason}); alerts go to the log`);
        else this.console.print(`[${this.appName}] desktop notifications unavailable (${outcome.reason}); alerts go to the console`);
      }
    }
    if (this.logged) await this.logged.notify(title, message, level);
    else this.console.print(formatAlertLine(this.appName, title, message, level));
  }

  private show(title: string, message: string): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const settle = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      // some notifiers never call back (a hung D-Bus); the timer is cleared as soon as they do
      const timer = setTimeout(() => settle({ shown: false, reason: `no answer from the notifier within ${this.timeoutMs} ms` }), this.timeoutMs);
      try {
        this.notifier ??= loadNodeNotifier();
        this.notifier.notify({ title: `[${this.appName}] ${title}`, message, wait: false }, (error) =>
          settle(error instanceof Error ? { shown: false, reason: describeFailure(error) } : { shown: true }),
        );
      } catch (error) {
        settle({ shown: false, reason: describeFailure(error) });
      }
    });
  }
}

function loadNodeNotifier(): Notifier {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on the first alert only
    return require('node-notifier') as Notifier;
  } catch {
    throw new Error('node-notifier is not installed (optional: npm install node-notifier for desktop alerts)');
  }
}

/** Turns node-notifier's errors into a short reason a person recognises. */
function describeFailure(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/not found: notify-send|notify-send must be installed/i.test(text)) return 'notify-send not found';
  if (/connect to bus|dbus/i.test(text)) return 'no D-Bus session bus';
  const firstLine = text.split('\n')[0].trim();
  return firstLine.length > 160 ? `${firstLine.slice(0, 157)}...` : firstLine || 'unknown error';
}
