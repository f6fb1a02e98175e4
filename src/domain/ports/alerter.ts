import type { Service } from './service';

export type AlertLevel = 'info' | 'warning' | 'error';

/** Tells a person something happened (desktop notification, console line, chat message …). Never throws. */
export interface IAlerter extends Service {
  notify(title: string, message: string, level?: AlertLevel): Promise<void>;
}
