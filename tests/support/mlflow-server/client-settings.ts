import type { ILogger, LogFields, LogLevel } from '../../../src/domain/ports/logger';
import { resolveMlflowSettings, type MlflowSettings, type TrackingConfig } from '../../../src/infrastructure/tracking/mlflow/mlflow-settings';
import type { MlflowTestServer } from './mlflow-test-server';

/**
 * Settings for an MLflow client pointed at the fake server, with retries fast enough for tests
 * (backoff 10 ms × 2^(n−1), no jitter) but the same retry COUNT logic as production.
 */
export function fastSettings(server: MlflowTestServer | string, tracking: Partial<TrackingConfig> = {}, env: Record<string, string | undefined> = {}): MlflowSettings {
  const uri = typeof server === 'string' ? server : server.uri;
  return resolveMlflowSettings({ uri, maxRetries: 3, backoffFactor: 0.01, backoffJitter: 0, timeoutSeconds: 5, ...tracking }, env);
}

export interface CapturedLine {
  level: LogLevel;
  message: string;
  fields?: LogFields;
  source: string;
}

/**
 * An ILogger that keeps every line verbatim, with NO redaction, so a test can prove the adapter itself
 * never hands a secret to the logger (a redacting logger would hide the leak).
 *
 * @example
 * const logger = new CapturingLogger();
 * new MlflowTracker(settings, { logger });
 * expect(logger.dump()).not.toContain(password);
 */
export class CapturingLogger implements ILogger {
  readonly serviceName = 'capturing-logger';
  constructor(
    readonly lines: CapturedLine[] = [],
    private readonly source = 'root',
  ) {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  debug(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'debug', message, fields, source: this.source });
  }
  info(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'info', message, fields, source: this.source });
  }
  warn(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'warn', message, fields, source: this.source });
  }
  error(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'error', message, fields, source: this.source });
  }
  child(source: string): ILogger {
    return new CapturingLogger(this.lines, source);
  }
  /** Everything logged, as one string (messages and JSON fields), for "never contains" assertions. */
  dump(): string {
    return this.lines.map((l) => `${l.level} ${l.message} ${safeJson(l.fields)}`).join('\n');
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (v instanceof Error ? { message: v.message, stack: v.stack, cause: v.cause } : v)) ?? '';
  } catch {
    return String(value);
  }
}
