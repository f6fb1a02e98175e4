import { ErrorCodes, TrackerUnavailableError } from '../../../domain/errors';
import type { ILogger } from '../../../domain/ports/logger';

/** How long one first contact (or one trial after an outage) may take per attempt. */
export const PROBE_DEADLINE_MS = 3_000;
/** Retries of a first contact: one, after this pause (a server that is just starting gets a second chance). */
export const PROBE_RETRY_DELAY_MS = 250;
/** Wall-clock bound on one request's retries against a server that was up (MLflow's client: a few minutes). */
export const DEFAULT_RETRY_BUDGET_MS = 300_000;
/** After an outage, requests fail at once for this long; then one short trial decides again. */
export const DEFAULT_COOLDOWN_MS = 30_000;

export type HealthState = 'unknown' | 'up' | 'down';

export interface ServerHealthOptions {
  cooldownMs?: number;
  retryBudgetMs?: number;
  probeDeadlineMs?: number;
  logger?: ILogger;
}

/**
 * What one MLflow server (one URI) is known to be doing, shared by every client that talks to it: the
 * tracker, the registry and the artifact proxy. One outage therefore costs one retry budget in total:
 * the first request that gives up marks the server down, the others stop retrying, and everything after
 * fails at once (so a job spills at once) until a short trial after `cooldownMs` finds it back.
 *
 * A server never reached yet is only given a short first contact (`PROBE_DEADLINE_MS` per attempt, one
 * retry): a dead, silent or non-MLflow server is decided in seconds at start, not after minutes.
 *
 * @example
 * const health = serverHealthFor(settings, settings.trackingUri);
 * health.assertOpen('POST', 'runs/log-batch'); // throws TrackerUnavailableError while the server is down
 */
export class ServerHealth {
  state: HealthState = 'unknown';
  /** The error that marked the server down, reported to callers while the breaker is open. */
  lastFailure: TrackerUnavailableError | undefined;
  private openUntil = 0;
  private trialInFlight = false;
  private outageAnnounced = false;
  readonly cooldownMs: number;
  readonly retryBudgetMs: number;
  readonly probeDeadlineMs: number;
  logger: ILogger | undefined;
  /** Which MLflow generation answers here, asked once per server (MlflowRestClient.serverGeneration). */
  generation: Promise<2 | 3 | undefined> | undefined;

  constructor(
    /** Server URI without credentials, for messages. */
    readonly uri: string,
    options: ServerHealthOptions = {},
  ) {
    this.cooldownMs = options.cooldownMs ?? DEFAULT_COOLDOWN_MS;
    this.retryBudgetMs = options.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS;
    this.probeDeadlineMs = options.probeDeadlineMs ?? PROBE_DEADLINE_MS;
    this.logger = options.logger;
  }

  /**
   * Called before a request's first attempt: 'normal' (full retry budget), 'probe' (short deadline, one
   * retry: the trial after a cooldown) or a thrown TrackerUnavailableError while the breaker is open.
   */
  admit(method: string, route: string): 'normal' | 'probe' {
    if (this.state !== 'down') return 'normal';
    if (Date.now() >= this.openUntil && !this.trialInFlight) {
      this.trialInFlight = true;
      return 'probe';
    }
    throw this.openError(method, route);
  }

  /** Throws the breaker's error while the server is known down (used before a retry is sent). */
  throwIfDown(method: string, route: string): void {
    if (this.state === 'down') throw this.openError(method, route);
  }

  private openError(method: string, route: string): TrackerUnavailableError {
    return new TrackerUnavailableError(
      `MLflow ${method} ${route} not sent: the server at ${this.uri} is unavailable (${this.lastFailure?.message ?? 'it stopped answering'}).`,
      this.lastFailure?.code ?? ErrorCodes.TRACKER_UNAVAILABLE,
      { details: { method, route, uri: this.uri, circuitOpen: true } },
    );
  }

  /** May a failed attempt be retried? Never once the server is known down (another request found it so). */
  mayRetry(mode: 'normal' | 'probe', retryCount: number, startedAt: number): boolean {
    if (this.state === 'down') return false;
    if (mode === 'probe') return retryCount < 1;
    return Date.now() - startedAt < this.retryBudgetMs;
  }

  /** The server answered like an MLflow server. */
  reportUp(): void {
    if (this.state === 'down') this.logger?.info(`MLflow server at ${this.uri} answers again.`);
    this.state = 'up';
    this.trialInFlight = false;
    this.outageAnnounced = false;
    this.lastFailure = undefined;
  }

  /** A request gave up (retries exhausted, first contact failed, or the answer was not MLflow's). */
  reportDown(error: TrackerUnavailableError): void {
    if (this.cooldownMs <= 0) {
      this.trialInFlight = false;
      return;
    }
    this.state = 'down';
    this.lastFailure ??= error;
    this.openUntil = Date.now() + this.cooldownMs;
    this.trialInFlight = false;
  }

  /** One line per outage while retries run (not one per request or per retry): what the user waits for. */
  announceRetrying(reason: string): void {
    if (this.outageAnnounced) return;
    this.outageAnnounced = true;
    this.logger?.info(`MLflow server at ${this.uri} is not answering (${reason}); retrying for up to ${Math.round(this.retryBudgetMs / 1000)} s.`);
  }
}

const books = new WeakMap<object, Map<string, ServerHealth>>();

/**
 * The one ServerHealth for `uri` within one composition (`owner`, usually the resolved MlflowSettings
 * object the tracker, the registry and `sync` share). Different compositions never share state.
 *
 * @example const health = serverHealthFor(settings, settings.registryUri, { logger });
 */
export function serverHealthFor(owner: object, uri: string, options: ServerHealthOptions = {}): ServerHealth {
  let book = books.get(owner);
  if (book === undefined) {
    book = new Map();
    books.set(owner, book);
  }
  const key = uri.replace(/\/+$/, '');
  let health = book.get(key);
  if (health === undefined) {
    health = new ServerHealth(key, options);
    book.set(key, health);
  }
  health.logger ??= options.logger;
  return health;
}
