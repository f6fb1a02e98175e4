import type { AlertLevel, IAlerter } from '../../domain/ports/alerter';

/** One recorded alert. */
export interface RecordedAlert {
  title: string;
  message: string;
  level: AlertLevel;
}

/**
 * IAlerter that records alerts for tests (the `test` profile binds it). Records before start and after
 * stop too, so nothing a job sends while shutting down is missed.
 *
 * @example
 * const alerter = new MemoryAlerter();
 * await alerter.notify('Promotion done', 'v7 is @Champion');
 * expect(alerter.alerts).toEqual([{ title: 'Promotion done', message: 'v7 is @Champion', level: 'info' }]);
 */
export class MemoryAlerter implements IAlerter {
  readonly serviceName = 'alerter';
  readonly alerts: RecordedAlert[] = [];

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async notify(title: string, message: string, level: AlertLevel = 'info'): Promise<void> {
    this.alerts.push({ title, message, level });
  }

  clear(): void {
    this.alerts.length = 0;
  }
}
