import type { AlertLevel, IAlerter } from '../../domain/ports/alerter';
import type { ILogger } from '../../domain/ports/logger';

/** How long an alert may take before the job goes on without it. */
export const DEFAULT_ALERT_TIMEOUT_MS = 5_000;

/**
 * Holds any alerter to the port's promise: `notify` never throws and never blocks a job for longer
 * than `timeoutMs`. A failing or hanging alerter costs one warning naming the alert and the cause; the
 * job's work stands. (An alert is a courtesy: a promotion that was confirmed must not fail because a
 * chat webhook is down.)
 *
 * @example const alerter = new GuardedAlerter(new SlackAlerter(url), logger); await alerter.notify('Done', 'v3 @ Champion');
 */
export class GuardedAlerter implements IAlerter {
  readonly serviceName: string;

  constructor(
    private readonly inner: IAlerter,
    private readonly logger: ILogger,
    private readonly timeoutMs = DEFAULT_ALERT_TIMEOUT_MS,
  ) {
    this.serviceName = inner.serviceName;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }

  async notify(title: string, message: string, level?: AlertLevel): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      timer.unref();
    });
    try {
      await Promise.race([Promise.resolve().then(() => this.inner.notify(title, message, level)), timeout]);
    } catch (error) {
      this.logger.warn(`Alert "${title}" was not sent: ${error instanceof Error ? error.message : String(error)}`, { source: 'alerter' });
    } finally {
      clearTimeout(timer);
    }
  }
}
