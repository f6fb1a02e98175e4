import type { Service } from './service';

/**
 * How urgent an alert is; the built-in alerters default to `info` when `notify` gets none.
 *
 * @example await alerter.notify('Training failed', error.message, 'error' satisfies AlertLevel);
 */
export type AlertLevel = 'info' | 'warning' | 'error';

/**
 * Tells a person something happened (desktop notification, console line, chat message …). Never throws.
 *
 * @example await alerter.notify('Model promoted', 'churn v3 is now Champion', 'info');
 */
export interface IAlerter extends Service {
  notify(title: string, message: string, level?: AlertLevel): Promise<void>;
}
