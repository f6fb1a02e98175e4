import type { IAlerter } from '../../domain/ports/alerter';
import type { ILogger } from '../../domain/ports/logger';
import type { IModelLoader } from '../../domain/ports/model-loader';
import type { IModelRegistry } from '../../domain/ports/model-registry';
import type { ITracker } from '../../domain/ports/tracker';

/**
 * The ports a job uses. The runtime hands them over already started; a job never starts or stops them.
 *
 * @example const champion = ({ registry }: JobServices) => registry.getVersionByAlias('churn', 'Champion');
 */
export interface JobServices {
  logger: ILogger;
  alerter: IAlerter;
  tracker: ITracker;
  registry: IModelRegistry;
  /** Loads models by URI through the flavor loaders (uses the tracker and the registry). */
  models: IModelLoader;
}

/**
 * What a job is built with: its started services and the signal that cancels it. A definition's
 * `create` receives it and passes it to the job's constructor.
 *
 * @example const create = (context: JobContext, config: { name: string }) => new HelloJob(context, config);
 */
export interface JobContext extends JobServices {
  /** Aborted when the job is cancelled (a request went away) or the runtime closes past its deadline. */
  signal?: AbortSignal;
}

/**
 * What a job returns: a plain JSON-able record the CLI prints and apps return from their endpoints.
 *
 * @example const result: JobResult = await runtime.run({ KIND: 'ExampleJob' }); res.json(result);
 */
export type JobResult = Record<string, unknown>;

const NEVER_ABORTED = new AbortController().signal;

/**
 * Base of every job: the work itself, nothing else. Jobs get started, shared services and must never
 * stop them — the {@link JobRuntime} owns that lifecycle, so any number of jobs can run at once on the
 * same services. A job that runs long checks `signal` and, when it is aborted, ends its runs KILLED
 * (see `withRun`) and throws.
 *
 * @example
 * class HelloJob extends Job<{ greeted: string }> {
 *   readonly kind = 'HelloJob';
 *   constructor(context: JobContext, private readonly config: { name: string }) { super(context); }
 *   protected async run() { this.logger.info(`hello ${this.config.name}`); return { greeted: this.config.name }; }
 * }
 */
export abstract class Job<TResult extends JobResult = JobResult> {
  abstract readonly kind: string;
  private jobLogger: ILogger | undefined;

  constructor(protected readonly services: JobContext) {}

  /** The job's own logger, with the job's kind as source. */
  protected get logger(): ILogger {
    this.jobLogger ??= this.services.logger.child(this.kind);
    return this.jobLogger;
  }

  /** Aborted when the job is cancelled or interrupted: long loops check it. */
  protected get signal(): AbortSignal {
    return this.services.signal ?? NEVER_ABORTED;
  }

  protected abstract run(): Promise<TResult>;

  /** Runs the job on services that are already started (the runtime calls this). */
  execute(): Promise<TResult> {
    return this.run();
  }
}
