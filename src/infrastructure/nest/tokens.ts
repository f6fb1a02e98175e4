import { Inject } from '@nestjs/common';

// Symbol.for: two copies of mlops-kit in one app (a library of the app's bundling its own) still agree on the tokens.

/**
 * The Nest injection token of the app's one `JobRuntime` (started at module init, closed before
 * shutdown). `@InjectRuntime()` is the same thing as a decorator; `moduleRef.get(MLOPS_RUNTIME)` reads it in tests.
 *
 * @example const runtime = app.get<AppRuntime>(MLOPS_RUNTIME);
 */
export const MLOPS_RUNTIME: unique symbol = Symbol.for('mlops-kit/nest.Runtime');

/**
 * The Nest injection token of the module's one container (an `MlopsContainer`): for
 * `container.get(TYPES.ModelRegistry)` and the other ports outside jobs.
 *
 * @example const registry = app.get<MlopsContainer>(MLOPS_CONTAINER).get(TYPES.ModelRegistry);
 */
export const MLOPS_CONTAINER: unique symbol = Symbol.for('mlops-kit/nest.Container');

/**
 * The Nest injection token of the options the container is built from: `forRoot`'s object, or what
 * `forRootAsync`'s factory returned. A test replaces them whole with
 * `.overrideProvider(MLOPS_CONTAINER_OPTIONS).useValue({...})`; to change only some (the adapters), use
 * {@link MLOPS_TEST_OPTIONS}.
 *
 * @example
 * const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
 *   .overrideProvider(MLOPS_CONTAINER_OPTIONS).useValue({ profile: 'test', jobs: APP_JOBS })
 *   .compile();
 */
export const MLOPS_CONTAINER_OPTIONS: unique symbol = Symbol.for('mlops-kit/nest.ContainerOptions');

/**
 * The Nest injection token of a test's changes to the app's options, `{}` in the app. Override it in a
 * test to rebind adapters (or switch profile, add job kinds) while keeping the rest of the app's
 * options: it is read when the container is built, before anything is resolved, so no singleton ever
 * holds the real adapter. See {@link MlopsTestOptions}.
 *
 * @example
 * const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
 *   .overrideProvider(MLOPS_TEST_OPTIONS).useValue({ profile: 'test', overrides: { [TYPES.Tracker]: new InMemoryTracker() } })
 *   .compile();
 */
export const MLOPS_TEST_OPTIONS: unique symbol = Symbol.for('mlops-kit/nest.TestOptions');

/** Token of the options in effect: the app's, with a test's changes applied. Module-internal (not exported by the entry). */
export const MLOPS_EFFECTIVE_OPTIONS: unique symbol = Symbol.for('mlops-kit/nest.EffectiveOptions');

/**
 * Injects the app's `JobRuntime` (the {@link MLOPS_RUNTIME} token). Name its type with the app's
 * own job kinds, {@link MlopsRuntime}`<typeof APP_JOBS>`, so `run()` checks each kind's config.
 *
 * @example
 * ```ts
 * @Controller()
 * class TrainController {
 *   constructor(@InjectRuntime() private readonly runtime: MlopsRuntime<typeof APP_JOBS>) {}
 * }
 * ```
 */
export function InjectRuntime(): PropertyDecorator & ParameterDecorator {
  return Inject(MLOPS_RUNTIME);
}

/**
 * Injects the module's `MlopsContainer` (the {@link MLOPS_CONTAINER} token).
 *
 * @example
 * ```ts
 * @Injectable()
 * class Models {
 *   constructor(@InjectContainer() private readonly container: MlopsContainer) {}
 *   champion(model: string) { return this.container.get(TYPES.ModelRegistry).getVersionByAlias(model, 'Champion'); }
 * }
 * ```
 */
export function InjectContainer(): PropertyDecorator & ParameterDecorator {
  return Inject(MLOPS_CONTAINER);
}
