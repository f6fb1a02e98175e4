import type { IAlerter } from '../../domain/ports/alerter';
import type { ILogger } from '../../domain/ports/logger';
import type { IModelRegistry } from '../../domain/ports/model-registry';
import type { Service } from '../../domain/ports/service';
import type { ITracker } from '../../domain/ports/tracker';

/** The ports a job gets injected. The container builds this from the bindings of TYPES.*. */
export interface JobServices {
  logger: ILogger;
  alerter: IAlerter;
  tracker: ITracker;
  registry: IModelRegistry;
}

/** What a job returns: a plain record the CLI prints as JSON and tests assert on. */
export type JobResult = Record<string, unknown>;

/**
 * Base of every job: owns the lifecycle of the services it was given.
 *
 * `execute()` starts the services in order (logger, alerter, tracker, registry), logs
 * `[START] <service>`, runs `run()`, then stops them in reverse order logging `[STOP] <service>`, and
 * returns the result. An error from `run()` is logged and re-thrown unchanged; an error while stopping
 * is logged and never hides the run's error. When `run()` succeeded but stopping failed (say the
 * tracker could not flush), that stop error is thrown: data may have been lost, so the job is not a success.
 *
 * @example
 * class HelloJob extends Job {
 *   readonly kind = 'HelloJob';
 *   protected async run() { this.logger.info('hello'); return { greeted: true }; }
 * }
 * const result = await new HelloJob(services).execute();
 * // or: await using job = new HelloJob(services); await job.execute();
 */
export abstract class Job<TResult extends JobResult = JobResult> {
  abstract readonly kind: string;
  private readonly abortController = new AbortController();
  private started: Service[] = [];
  /** The one stopping in progress: execute(), interrupt() and dispose all wait for the same one. */
  private stopping: Promise<void> | undefined;
  private jobLogger: ILogger | undefined;

  constructor(protected readonly services: JobServices) {}

  /** The job's own logger, with the job's kind as source. */
  protected get logger(): ILogger {
    this.jobLogger ??= this.services.logger.child(this.kind);
    return this.jobLogger;
  }

  /** Aborted when the job is interrupted (SIGINT/SIGTERM): long loops should check it. */
  protected get signal(): AbortSignal {
    return this.abortController.signal;
  }

  protected abstract run(): Promise<TResult>;

  async execute(): Promise<TResult> {
    await this.startServices();
    let result: TResult;
    try {
      result = await this.run();
    } catch (error) {
      this.logger.error(`Job ${this.kind} failed: ${describe(error)}`, { error });
      await this.stopServices().catch(() => undefined);
      throw error;
    }
    await this.stopServices();
    return result;
  }

  /**
   * Asks the job to stop: aborts `signal`, then stops the services that were started — or, when the job
   * is already stopping them, waits for that to finish, so a caller that exits afterwards never cuts a
   * flush short.
   */
  async interrupt(reason: string): Promise<void> {
    this.abortController.abort(reason);
    await this.stopServices().catch(() => undefined);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stopServices();
  }

  private orderedServices(): Service[] {
    const { logger, alerter, tracker, registry } = this.services;
    // one adapter may implement two ports (tracker and registry on one store): start it once
    return [logger, alerter, tracker, registry].filter((s, i, all) => all.indexOf(s) === i);
  }

  private async startServices(): Promise<void> {
    for (const service of this.orderedServices()) {
      try {
        await service.start();
      } catch (error) {
        this.logger.error(`Could not start ${service.serviceName}: ${describe(error)}`, { error });
        await this.stopServices().catch(() => undefined);
        throw error;
      }
      this.started.push(service);
      this.services.logger.info(`[START] ${service.serviceName}`, { source: 'job' });
    }
  }

  /** Stops started services in reverse order, once; concurrent callers share the same stopping. */
  private stopServices(): Promise<void> {
    if (this.started.length === 0) return this.stopping ?? Promise.resolve();
    const toStop = this.started.reverse();
    this.started = [];
    const stopping = this.stopInOrder(toStop);
    this.stopping = stopping;
    void stopping.catch(() => undefined);
    return stopping;
  }

  /** Every stop is attempted; the first error is thrown after. */
  private async stopInOrder(toStop: Service[]): Promise<void> {
    let firstError: unknown;
    for (const service of toStop) {
      try {
        if (service !== this.services.logger) await service.stop();
        this.services.logger.info(`[STOP] ${service.serviceName}`, { source: 'job' });
        if (service === this.services.logger) await service.stop();
      } catch (error) {
        firstError ??= error;
        this.services.logger.error(`Error while stopping ${service.serviceName}: ${describe(error)}`, { error });
      }
    }
    if (firstError !== undefined) throw firstError;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
