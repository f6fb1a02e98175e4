import type { InjectionToken, ModuleMetadata, OptionalFactoryDependency } from '@nestjs/common';
import type { BuiltinJobDefinition } from '../../application/jobs/builtin-jobs';
import type { AnyJobDefinition, JobPort } from '../../application/jobs/job-definition';
import type { CloseOptions, JobRuntime } from '../../application/runtime/job-runtime';
import type { CreateContainerOptions } from '../container/create-container';

/**
 * What `MlopsModule.forRoot` (or `forRootAsync`'s factory) takes: the container's options
 * (`createContainer`'s: config, profile, env, overrides, the app's job kinds …) plus when the runtime
 * starts its services and how patient it is at shutdown.
 *
 * @example
 * const options: MlopsModuleOptions<typeof APP_JOBS> = { config, env, profile: 'production', jobs: APP_JOBS, startServices: ['registry'], shutdown: { deadlineMs: 10_000 } };
 */
export interface MlopsModuleOptions<J extends readonly AnyJobDefinition[] = readonly AnyJobDefinition[]> extends CreateContainerOptions<J> {
  /**
   * Services started at module init, before the app listens: a wrong URI or a refused login then fails
   * the deploy instead of the first request. Default none (each starts when a job first needs it).
   */
  startServices?: readonly JobPort[];
  /**
   * How long running jobs may go on once Nest shuts down (`app.close()`, or SIGTERM with
   * `enableShutdownHooks()`); then they are interrupted and their runs end KILLED. Applied in
   * `beforeApplicationShutdown`, before Nest waits for in-flight HTTP requests, so the deadline holds
   * even while those requests wait on the jobs. Default: the runtime's (30 s, then 5 s of grace) — keep
   * `deadlineMs + graceMs` under your orchestrator's kill timeout.
   */
  shutdown?: CloseOptions;
}

/**
 * `MlopsModule.forRootAsync`'s argument: options built by a factory from other providers (a
 * `ConfigService`), as Nest's own modules take them. `isGlobal` as in `forRoot`.
 *
 * @example
 * MlopsModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ config: { tracking: { uri: config.getOrThrow('MLFLOW_TRACKING_URI') } }, profile: 'production' }),
 * });
 */
export interface MlopsModuleAsyncOptions {
  /** Modules exporting the providers `inject` names. */
  imports?: ModuleMetadata['imports'];
  /** Providers passed to `useFactory`, in order. */
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  /** Builds the options; may be async. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Nest's own factory signature: the injected values are untyped
  useFactory: (...args: any[]) => MlopsModuleOptions | Promise<MlopsModuleOptions>;
  /** Whether every module of the app can inject the runtime without importing this one. Default true. */
  isGlobal?: boolean;
}

/**
 * A test's changes to the app's module options, given through {@link MLOPS_TEST_OPTIONS}: each field
 * given replaces the app's, except `overrides`, which are added to the app's (a test rebinds the tracker
 * and keeps the app's alerter override). Read before the container is built, so nothing ever resolves
 * the real adapter.
 *
 * @example
 * const changes: MlopsTestOptions = { profile: 'test', overrides: { [TYPES.Tracker]: tracker, [TYPES.ModelRegistry]: registry } };
 */
export type MlopsTestOptions = Partial<MlopsModuleOptions>;

/**
 * The runtime type of an app whose own job kinds are `J` (the list given as `jobs`), besides the
 * built-in ones: name it once and use it wherever the runtime is injected, so `runtime.run()` checks
 * each kind's config at compile time. The same type as `JobRuntime<JobsOf<typeof container>>` for a
 * container built with `createContainer({ jobs: APP_JOBS })`; Nest apps have no container variable to
 * name, hence this form.
 *
 * @example
 * export const APP_JOBS = [GreetJobDefinition] as const;
 * export type AppRuntime = MlopsRuntime<typeof APP_JOBS>;
 * // constructor(@InjectRuntime() private readonly runtime: AppRuntime) {}
 */
export type MlopsRuntime<J extends readonly AnyJobDefinition[] = readonly []> = JobRuntime<BuiltinJobDefinition | J[number]>;

/** The app's options with a test's changes applied (see {@link MlopsTestOptions}). */
export function withTestOptions(options: MlopsModuleOptions, changes: MlopsTestOptions | undefined): MlopsModuleOptions {
  if (changes === undefined) return options;
  const overrides = { ...options.overrides, ...changes.overrides };
  return { ...options, ...changes, overrides };
}
