import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import type { AnyJobDefinition } from '../../application/jobs/job-definition';
import { JobRuntime } from '../../application/runtime/job-runtime';
import { createRuntime } from '../container/create-runtime';
import type { MlopsContainer } from '../container/mlops-container';
import { buildContainer } from './build-container';
import { MlopsHealthIndicator } from './health-indicator';
import { type MlopsModuleAsyncOptions, type MlopsModuleOptions, type MlopsTestOptions, withTestOptions } from './module-options';
import { RuntimeLifecycle } from './runtime-lifecycle';
import { MLOPS_CONTAINER, MLOPS_CONTAINER_OPTIONS, MLOPS_EFFECTIVE_OPTIONS, MLOPS_RUNTIME, MLOPS_TEST_OPTIONS } from './tokens';

/**
 * mlops-kit as a NestJS module: one container and its job runtime for the app, started at module init
 * and closed before shutdown with the configured deadline. Provides (and exports) the runtime
 * ({@link InjectRuntime}, {@link MLOPS_RUNTIME}, or the `JobRuntime` class), the container
 * ({@link InjectContainer}) and {@link MlopsHealthIndicator}. mlops-kit logs through Nest's `Logger`
 * whatever the profile (the config's `logging.level` applies; sink and format are Nest's business),
 * unless the app binds `TYPES.Logger` in `overrides`.
 * Global unless `isGlobal: false`: import it once, in the root module. Register
 * {@link MlopsExceptionFilter} to answer mlops-kit errors with their HTTP status. Everything is
 * injected by token, so it needs no `emitDecoratorMetadata`.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [MlopsModule.forRoot({ config: { tracking: { uri: process.env.MLFLOW_TRACKING_URI } }, jobs: APP_JOBS, startServices: ['registry'], shutdown: { deadlineMs: 10_000 } })],
 *   providers: [{ provide: APP_FILTER, useClass: MlopsExceptionFilter }],
 * })
 * export class AppModule {}
 * ```
 */
@Module({})
export class MlopsModule {
  /**
   * The module built from options known up front. `isGlobal` (default true, as for TypeORM's and
   * Mongoose's root modules: the runtime is one per process) makes the runtime injectable everywhere.
   *
   * @example MlopsModule.forRoot({ profile: 'production', config, env, jobs: APP_JOBS, startServices: ['tracker', 'registry'] });
   */
  static forRoot<const J extends readonly AnyJobDefinition[] = readonly []>(options: MlopsModuleOptions<J> & { isGlobal?: boolean } = {}): DynamicModule {
    const { isGlobal, ...moduleOptions } = options;
    return MlopsModule.build({ provide: MLOPS_CONTAINER_OPTIONS, useValue: moduleOptions }, [], isGlobal);
  }

  /**
   * The module built from options a factory makes from other providers (a `ConfigService`); the
   * factory runs once, before the container is built.
   *
   * @example
   * MlopsModule.forRootAsync({
   *   imports: [ConfigModule],
   *   inject: [ConfigService],
   *   useFactory: (config: ConfigService) => ({ profile: 'production', config: { tracking: { uri: config.getOrThrow<string>('MLFLOW_TRACKING_URI') } } }),
   * });
   */
  static forRootAsync(options: MlopsModuleAsyncOptions): DynamicModule {
    const provider: Provider = { provide: MLOPS_CONTAINER_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] };
    return MlopsModule.build(provider, options.imports ?? [], options.isGlobal);
  }

  /**
   * The module for a test of one service: the `test` profile (in-memory logger, alerter, tracker and
   * registry; no environment read) plus `options`. To test the whole app, import its module and
   * override {@link MLOPS_TEST_OPTIONS} instead.
   *
   * @example
   * const moduleRef = await Test.createTestingModule({ imports: [MlopsModule.forTest({ jobs: APP_JOBS, overrides: { [TYPES.Tracker]: tracker } })], providers: [TrainingService] }).compile();
   */
  static forTest<const J extends readonly AnyJobDefinition[] = readonly []>(options: Omit<MlopsModuleOptions<J>, 'profile'> = {}): DynamicModule {
    return MlopsModule.forRoot({ ...options, profile: 'test', env: options.env ?? {} });
  }

  private static build(options: Provider, imports: NonNullable<DynamicModule['imports']>, isGlobal = true): DynamicModule {
    return {
      module: MlopsModule,
      global: isGlobal,
      imports,
      providers: [
        options,
        { provide: MLOPS_TEST_OPTIONS, useValue: {} satisfies MlopsTestOptions },
        {
          provide: MLOPS_EFFECTIVE_OPTIONS,
          inject: [MLOPS_CONTAINER_OPTIONS, MLOPS_TEST_OPTIONS],
          useFactory: (app: MlopsModuleOptions, test: MlopsTestOptions | undefined) => withTestOptions(app, test),
        },
        { provide: MLOPS_CONTAINER, inject: [MLOPS_EFFECTIVE_OPTIONS], useFactory: buildContainer },
        { provide: MLOPS_RUNTIME, inject: [MLOPS_CONTAINER], useFactory: (container: MlopsContainer) => createRuntime(container) },
        // the class as a token too, for `constructor(private readonly runtime: JobRuntime)` in apps that use metadata
        { provide: JobRuntime, useExisting: MLOPS_RUNTIME },
        RuntimeLifecycle,
        MlopsHealthIndicator,
      ],
      exports: [MLOPS_RUNTIME, MLOPS_CONTAINER, JobRuntime, MlopsHealthIndicator],
    };
  }
}
