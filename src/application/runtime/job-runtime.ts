import { errorCodeOf, JobInterruptedError, RuntimeClosedError } from '../../domain/errors';
import type { ILogger } from '../../domain/ports/logger';
import type { Service } from '../../domain/ports/service';
import type { JobResult } from '../jobs/job';
import { type AnyJobDefinition, type DefinitionOf, type JobInput, type JobPort, type JobResultOf, portsOf } from '../jobs/job-definition';
import type { BuiltinJobDefinition } from '../jobs/builtin-jobs';
import type { JobRegistry } from '../jobs/job-registry';
import type { PredictionValue } from '../../domain/model/model-input';
import { PredictorPool } from '../serving/predictor-pool';
import type { Predictor, PredictorOptions, PredictorStatus } from '../serving/predictor-types';
import { GuardedAlerter } from './guarded-alerter';
import { GuardedLogger } from './guarded-logger';
import { jobContext } from './job-services';
import type { ServiceProviders } from './service-providers';
import { HEALTH_TIMEOUT_MS, isHealthy, serviceHealth, type RuntimeHealth } from './runtime-health';
import { ServiceLifecycle, settledWithin } from './service-lifecycle';

/**
 * What a {@link JobRuntime} is built from: its job kinds, its adapters and the config check.
 * `createRuntime` builds one from a container; an app rarely writes these itself.
 *
 * @example const runtime = new JobRuntime({ jobs, services, validate: (job) => parseAppConfig({ job }, { jobs }).job! });
 */
export interface JobRuntimeOptions<D extends AnyJobDefinition> {
  /** The job kinds this runtime runs. */
  jobs: JobRegistry<D>;
  /** Where the runtime gets its adapters, each built on first use. */
  services: ServiceProviders;
  /** Validates a `job:` section against `jobs` and fills its defaults; throws ConfigError naming the key. */
  validate(job: unknown): { KIND: string };
  /** Longest an alert may take before the job goes on without it. Default 5 s. */
  alertTimeoutMs?: number;
}

/**
 * Options of one `runtime.run` call.
 *
 * @example await runtime.run({ KIND: 'PromotionJob', model: 'churn' }, { signal: AbortSignal.timeout(60_000) });
 */
export interface RunJobOptions {
  /** Cancels this job alone (e.g. the HTTP request that asked for it went away); its runs end KILLED. */
  signal?: AbortSignal;
}

/**
 * How patient `runtime.close()` is with running jobs at shutdown.
 *
 * @example process.once('SIGTERM', () => void runtime.close({ deadlineMs: 10_000, graceMs: 2_000 }));
 */
export interface CloseOptions {
  /** How long running jobs may take to finish before they are interrupted. Default 30 s. */
  deadlineMs?: number;
  /**
   * After interrupting, how long jobs get to end their runs KILLED before services stop anyway; also how
   * long predictors get to finish the calls and the load they are running. Default 5 s.
   */
  graceMs?: number;
}

/**
 * The config `runtime.run` accepts for kind `K`: `KIND` plus that kind's fields, typos rejected.
 *
 * @example const input: RunInput<BuiltinJobDefinition, 'PromotionJob'> = { KIND: 'PromotionJob', model: 'churn', alias: 'Challenger' };
 */
export type RunInput<D extends AnyJobDefinition, K extends D['kind']> = { KIND: K } & JobInput<DefinitionOf<D, K>>;

type State = 'idle' | 'started' | 'closing';

/**
 * The one lifecycle of mlops-kit: an app starts it once at boot and closes it at shutdown, like a
 * database pool; in between it runs any number of jobs, concurrently, on the same started services.
 * Jobs never stop shared services. A job starts only the services its definition `uses` (a
 * PromotionJob starts no tracker), once, on first need. `close()` refuses new jobs, waits for running
 * ones up to a deadline, interrupts the rest (their runs end KILLED), then stops services in reverse
 * order (flushing the tracker). A closed runtime can be started again. The CLI is the same runtime
 * around one job. It also owns the app's predictors (`runtime.predictor(uri)`), which score requests
 * with a model and follow its alias until the runtime closes.
 *
 * A bare `JobRuntime` is typed with the built-in kinds: `run()` checks their configs and types their
 * results. An app with its own kinds names its runtime's type from its container (`JobsOf`) or from
 * its definitions, e.g. for a constructor parameter:
 * `type AppRuntime = JobRuntime<JobsOf<typeof container>>` or
 * `type AppRuntime = JobRuntime<BuiltinJobDefinition | typeof HelloJobDefinition>`.
 *
 * @example
 * const runtime = createRuntime(createContainer({ config, env }));
 * await runtime.start();
 * const { version } = await runtime.run({ KIND: 'PromotionJob', model: 'bike-demand' }, { signal: request.signal });
 * await runtime.close({ deadlineMs: 10_000 });
 */
export class JobRuntime<D extends AnyJobDefinition = BuiltinJobDefinition> {
  private state: State = 'idle';
  private readonly lifecycle: ServiceLifecycle;
  private readonly active = new Map<Promise<unknown>, AbortController>();
  private closing: Promise<void> | undefined;
  private logger: GuardedLogger | undefined;
  private alerter: GuardedAlerter | undefined;
  private pool: PredictorPool | undefined;

  constructor(private readonly options: JobRuntimeOptions<D>) {
    this.lifecycle = new ServiceLifecycle(() => this.guardedLogger());
  }

  /** The job kinds this runtime runs. */
  get jobs(): JobRegistry<D> {
    return this.options.jobs;
  }

  /** How many jobs are running now. */
  get runningJobs(): number {
    return this.active.size;
  }

  /**
   * Starts the logger and the alerter, plus any of `tracker`/`registry` named in `services` (start them
   * at boot to fail fast on a wrong URI; otherwise each starts when a job first needs it). Idempotent.
   * A service named here must be reachable and accept the login, whatever `tracking.onUnavailable` says:
   * `start` rejects with its typed error (TRACKER_UNAVAILABLE, UNAUTHORIZED …) rather than spill; spill is
   * for outages after boot, and jobs keep starting services lazily with it.
   * A start that fails (a refused login) leaves started what did start and the runtime open, so a later
   * job retries the failed service; call `close()` to give up. A `close()` during `start()` makes it
   * reject with RuntimeClosedError, and nothing it started stays running.
   */
  async start(options: { services?: readonly JobPort[] } = {}): Promise<void> {
    if (this.state === 'closing') await this.closing?.catch(() => undefined);
    this.state = 'started';
    const services = this.servicesFor(options.services ?? []);
    // the tracker/registry named here start strictly: a dead server or a refused login fails the boot
    const named = services.filter((s) => s !== this.guardedLogger() && s !== this.guardedAlerter());
    await this.lifecycle.ensureStarted(services, new Set(named));
  }

  /**
   * Starts `ports` on a runtime that is already started (for work outside a job, like a queue worker's
   * branches); RuntimeClosedError when the runtime is not started, so closed services are never revived.
   */
  async ensureServices(ports: readonly JobPort[]): Promise<void> {
    if (this.state !== 'started') throw new RuntimeClosedError();
    await this.lifecycle.ensureStarted(this.servicesFor(ports));
  }

  /**
   * Validates `config` against its kind's schema, starts the services that kind uses (once), builds the
   * job and runs it. Resolves with the job's result; rejects with the job's error (a ConfigError for a
   * bad config, JobInterruptedError when cancelled or interrupted, RuntimeClosedError while closing).
   */
  async run<K extends D['kind']>(config: RunInput<D, K>, options: RunJobOptions = {}): Promise<JobResultOf<DefinitionOf<D, K>>> {
    if (this.state !== 'started') {
      throw new RuntimeClosedError(
        this.state === 'idle' ? 'The job runtime is not started: call `await runtime.start()` at boot, before running jobs.' : undefined,
      );
    }
    const validated = this.options.validate(config);
    const definition = this.options.jobs.find(validated.KIND)!;
    if (options.signal?.aborted) throw new JobInterruptedError(reasonOf(options.signal));
    const controller = new AbortController();
    const running = this.execute(definition, validated, controller, options.signal);
    this.active.set(running, controller);
    try {
      return (await running) as JobResultOf<DefinitionOf<D, K>>;
    } finally {
      this.active.delete(running);
    }
  }

  /**
   * Runs a job config that comes from outside the program (a request body, a queue message, a file): the
   * same as `run`, but typed `unknown` in and `JobResult` out, because only the run-time validation can
   * vouch for it. A bad config is a ConfigError naming the key.
   *
   * @example const result = await runtime.runConfig({ ...JSON.parse(body), KIND: 'PromotionJob' }, { signal });
   */
  runConfig(config: unknown, options: RunJobOptions = {}): Promise<JobResult> {
    return this.run(config as RunInput<D, D['kind']>, options) as Promise<JobResult>;
  }

  /**
   * Refuses new jobs, waits up to `deadlineMs` for running ones, interrupts the rest (their runs end
   * KILLED), gives them `graceMs` to settle, closes the predictors (their running calls finish, up to
   * `graceMs`; their models are released, their timers stopped), then stops every started service in
   * reverse order. Concurrent calls share one close.
   */
  close(options: CloseOptions = {}): Promise<void> {
    if (this.state === 'idle') return this.closing ?? Promise.resolve();
    if (this.closing === undefined) {
      this.state = 'closing';
      this.closing = this.shutDown(options.deadlineMs ?? 30_000, options.graceMs ?? 5_000).finally(() => {
        this.state = 'idle';
        this.closing = undefined;
      });
    }
    return this.closing;
  }

  /**
   * The predictor for a model URI, made on first ask and shared after: one per URI for the runtime's life,
   * so call it per request or keep it, as suits. `options` apply when it is made (a later call's options
   * are ignored). It loads in the background at once (starting the tracker and registry); `await
   * predictor.ready()` to fail at boot when it cannot. Versions several predictors name are loaded once.
   * `close()` closes every predictor after the jobs settle; a runtime started again makes new ones.
   * RuntimeClosedError when the runtime is not started or is closing; ValidationError for a bad URI.
   *
   * @example
   * type BikeRow = { hour: number; temperature: number };
   * const predictor = runtime.predictor<BikeRow, number>('models:/bike-demand@Champion', { refreshMs: 10_000 });
   * const { predictions, version } = await predictor.predict([{ hour: 8, temperature: 21.5 }]);
   */
  predictor<Row extends object = Record<string, unknown>, P = PredictionValue>(uri: string, options?: PredictorOptions): Predictor<Row, P> {
    if (this.state !== 'started') {
      throw new RuntimeClosedError(
        this.state === 'idle' ? 'The job runtime is not started: call `await runtime.start()` at boot, before asking for predictors.' : 'The job runtime is closing: it makes no new predictors.',
      );
    }
    return this.predictorPool().get<Row, P>(uri, options);
  }

  /** What each predictor serves (URI, version, flavor, when loaded and checked, last error), for a health endpoint. */
  predictors(): PredictorStatus[] {
    return this.pool?.statuses() ?? [];
  }

  /**
   * What a health endpoint reports: whether the runtime can take jobs, how many run, each service's
   * report (reachable or not, MLflow's generation, spilling and what waits to be synced) and each
   * predictor's status. Probes are cheap and each bounded by `timeoutMs` (default 5 s); it never
   * rejects. Asking builds the tracker and registry adapters, but starts nothing.
   *
   * @example
   * const health = await runtime.health();
   * res.writeHead(health.ok ? 200 : 503).end(JSON.stringify(health));
   */
  async health(options: { timeoutMs?: number } = {}): Promise<RuntimeHealth> {
    const timeoutMs = options.timeoutMs ?? HEALTH_TIMEOUT_MS;
    const started = (service: Service) => this.lifecycle.isStarted(service);
    const [tracker, registry] = await Promise.all([
      serviceHealth(() => this.options.services.tracker(), started, timeoutMs),
      serviceHealth(() => this.options.services.registry(), started, timeoutMs),
    ]);
    const services: RuntimeHealth['services'] = { ...(tracker && { tracker }), ...(registry && { registry }) };
    return { ok: isHealthy(this.state === 'started', services), runningJobs: this.runningJobs, services, predictors: this.predictors() };
  }

  /** Interrupts every running job now (SIGINT in the CLI): their runs end KILLED. Services keep running. */
  interruptAll(reason: string): void {
    for (const controller of this.active.values()) controller.abort(reason);
  }

  private async shutDown(deadlineMs: number, graceMs: number): Promise<void> {
    if (!(await settledWithin([...this.active.keys()], deadlineMs))) {
      const count = this.active.size;
      this.guardedLogger().warn(`Closing: ${count} job(s) still running after ${deadlineMs} ms; interrupting them`, { source: 'runtime' });
      this.interruptAll('runtime closed');
      await settledWithin([...this.active.keys()], graceMs);
    }
    // after the jobs (an app's job may score through a predictor), before the services loads use
    if (this.pool !== undefined) await settledWithin([this.pool.close()], graceMs);
    await this.lifecycle.stopAll(graceMs);
  }

  private async execute(definition: D, config: { KIND: string }, controller: AbortController, callerSignal?: AbortSignal): Promise<unknown> {
    const onCallerAbort = () => controller.abort(reasonOf(callerSignal!));
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    const logger = this.guardedLogger();
    try {
      // a job cancelled (or a runtime closed) while its services start never runs
      const ports = portsOf(definition, config);
      await untilAborted(this.lifecycle.ensureStarted(this.servicesFor(ports)), controller.signal);
      const context = jobContext(definition, ports, this.options.services, this.guardedAlerter(), logger, controller.signal);
      return await definition.create(context, config).execute();
    } catch (error) {
      const failure = controller.signal.aborted && !(error instanceof JobInterruptedError) ? new JobInterruptedError(reasonOf(controller.signal)) : error;
      // a job interrupted by a planned close() is the shutdown working as designed, not a failure to page on
      const planned = failure instanceof JobInterruptedError && this.state === 'closing';
      logJobFailure(logger, definition.kind, failure, planned ? 'warn' : 'error');
      throw failure;
    } finally {
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /** Logger and alerter first (every job has them), then the ports asked for, in a fixed order. */
  private servicesFor(ports: readonly JobPort[]): Service[] {
    const services: Service[] = [this.guardedLogger(), this.guardedAlerter()];
    // the model loader downloads through the tracker and resolves through the registry
    const models = ports.includes('models');
    if (models || ports.includes('tracker')) services.push(this.options.services.tracker());
    if (models || ports.includes('registry')) services.push(this.options.services.registry());
    // one adapter may implement two ports (tracker and registry on one store): start it once
    return services.filter((s, i, all) => all.indexOf(s) === i);
  }

  private predictorPool(): PredictorPool {
    this.pool ??= new PredictorPool(() => this.options.services.models(), {
      registry: () => this.options.services.registry(),
      // loading downloads through the tracker and resolves through the registry: started once, as for a job
      prepare: () => this.lifecycle.ensureStarted(this.servicesFor(['models'])),
      logger: this.guardedLogger(),
    });
    return this.pool;
  }

  private guardedLogger(): GuardedLogger {
    this.logger ??= new GuardedLogger(this.options.services.logger());
    return this.logger;
  }

  private guardedAlerter(): GuardedAlerter {
    this.alerter ??= new GuardedAlerter(this.options.services.alerter(), this.guardedLogger().child('alerter'), this.options.alertTimeoutMs);
    return this.alerter;
  }
}

/** Expected failures (a typed error) are one line; anything else keeps its stack for whoever debugs it. */
function logJobFailure(logger: ILogger, kind: string, error: unknown, level: 'warn' | 'error'): void {
  const code = errorCodeOf(error);
  if (code !== undefined) {
    logger[level](`Job ${kind} failed: ${code}: ${(error as Error).message}`, { source: 'runtime', code });
  } else {
    logger[level](`Job ${kind} failed: ${error instanceof Error ? error.message : String(error)}`, { source: 'runtime', error });
  }
}

/** What stopped a job, for its JobInterruptedError: a signal name or a reason string, else `cancelled`. */
function reasonOf(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? signal.reason : 'cancelled';
}

/** `work`, or a JobInterruptedError as soon as `signal` aborts (the work goes on, unawaited). */
async function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  // the work may still settle after an abort: never let its rejection go unhandled
  void work.catch(() => undefined);
  if (signal.aborted) throw new JobInterruptedError(reasonOf(signal));
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new JobInterruptedError(reasonOf(signal)));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
}
