/**
 * `mlops-kit/alerting`: desktop alerts (optional peer `node-notifier`, console fallback) and console alerts.
 *
 * @example
 * import { ConsoleAlerter } from 'mlops-kit/alerting';
 * await new ConsoleAlerter({ appName: 'billing' }).notify('Model promoted', 'churn v3 is Champion');
 *
 * @packageDocumentation
 */
export { DesktopAlerter, type DesktopAlerterOptions, type Notifier } from '../infrastructure/alerting/desktop-alerter';
export { ConsoleAlerter, type ConsoleAlerterOptions } from '../infrastructure/alerting/console-alerter';
export { LoggerAlerter } from '../infrastructure/alerting/logger-alerter';
