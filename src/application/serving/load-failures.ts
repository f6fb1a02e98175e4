import { ErrorCodes, errorCodeOf } from '../../domain/errors';
import type { ILogger } from '../../domain/ports/logger';
import type { PredictorError } from './predictor-types';

/**
 * A predictor's record of failed loads and checks, for its status and its log. A long-lived service
 * checks the registry every few seconds, so a failure that lasts is logged once: one line with the code
 * (a stack only for an error without one: that is a bug to debug), again only when the failure changes
 * (another code, or another version failing to load; not another wording of the same outage, such as
 * ECONNRESET then ECONNREFUSED), and one line when it recovers. `status()` always has the latest.
 *
 * @example
 * const failures = new LoadFailures('models:/bike-demand@Champion', logger);
 * failures.record(error, 'still serving version 3', 'models:/bike-demand/4'); // logged
 * failures.record(error, 'still serving version 3', 'models:/bike-demand/4'); // the same failure: not logged again
 * failures.recovered('serving version 4'); // logged; status().lastError cleared
 */
export class LoadFailures {
  private current: PredictorError | undefined;
  private logged: string | undefined;

  constructor(
    private readonly uri: string,
    private readonly logger: ILogger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The failure not yet recovered from. */
  get last(): PredictorError | undefined {
    return this.current && { ...this.current };
  }

  /**
   * Records a failure; `serving` says what the predictor does meanwhile (e.g. `still serving version 3`),
   * `loading` names the version that failed to load (undefined when the registry check failed).
   */
  record(error: unknown, serving: string | undefined, loading?: string): void {
    const code = errorCodeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    this.current = { code: code ?? ErrorCodes.MODEL_LOAD_FAILED, message, at: this.now() };
    // an error without a code is a bug: each distinct one is worth its line
    const key = `${this.current.code} ${loading ?? ''} ${code === undefined ? message : ''}`;
    if (this.logged === key) return;
    this.logged = key;
    const line = `Predictor ${this.uri}: ${this.current.code}: ${message} (${serving ?? 'no model to serve yet'})`;
    const fields = { source: 'predictor', modelUri: this.uri, code: this.current.code };
    const log = serving === undefined ? this.logger.error.bind(this.logger) : this.logger.warn.bind(this.logger);
    log(line, code === undefined ? { ...fields, error } : fields);
  }

  /** The predictor serves what it should again: the failure is cleared, and its end said once. */
  recovered(serving: string): void {
    if (this.current === undefined) return;
    this.logger.info(`Predictor ${this.uri}: recovered from ${this.current.code}; ${serving}`, { source: 'predictor', modelUri: this.uri });
    this.current = undefined;
    this.logged = undefined;
  }
}
