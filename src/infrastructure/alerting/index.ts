export { DesktopAlerter, type DesktopAlerterOptions, type Notifier } from './desktop-alerter';
export { ConsoleAlerter, formatAlertLine, type ConsoleAlerterOptions } from './console-alerter';
export { LoggerAlerter } from './logger-alerter';
export { MemoryAlerter, type RecordedAlert } from './memory-alerter';
