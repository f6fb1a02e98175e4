import type { LoggerService } from '@nestjs/common';
import { UnauthorizedError } from 'mlops-kit';
import { InMemoryModelRegistry, InMemoryTracker } from 'mlops-kit/testing';

/** One call a Nest logger received: its method, the message and the rest (Nest appends the context last). */
export interface LoggedCall {
  method: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  message: unknown;
  params: unknown[];
}

/** A Nest LoggerService that records every call, as an app's own logger (nestjs-pino, ConsoleLogger …) would receive it. */
export function recordingLogger(): LoggerService & { calls: LoggedCall[]; lines(context?: string): string[] } {
  const calls: LoggedCall[] = [];
  const record =
    (method: LoggedCall['method']) =>
    (message: unknown, ...params: unknown[]) =>
      void calls.push({ method, message, params });
  return {
    calls,
    lines: (context) => calls.filter((c) => context === undefined || c.params.at(-1) === context).map((c) => String(c.message)),
    log: record('log'),
    error: record('error'),
    warn: record('warn'),
    debug: record('debug'),
    verbose: record('verbose'),
    fatal: record('fatal'),
  };
}

/** A registry whose server refuses this service's login: its start() rejects. */
export class RefusingRegistry extends InMemoryModelRegistry {
  starts = 0;
  override async start(): Promise<void> {
    this.starts++;
    throw new UnauthorizedError('MLflow refused the login of user "svc" (HTTP 401). Check MLFLOW_TRACKING_USERNAME/PASSWORD.');
  }
}

/** An in-memory tracker that counts its lifecycle calls. */
export class CountingTracker extends InMemoryTracker {
  starts = 0;
  stops = 0;
  override async start(): Promise<void> {
    this.starts++;
    await super.start();
  }
  override async stop(): Promise<void> {
    this.stops++;
    await super.stop();
  }
}
