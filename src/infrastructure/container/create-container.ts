import 'reflect-metadata';
import { Container } from 'inversify';
import { BUILTIN_JOBS, type BuiltinJobDefinition } from '../../application/jobs/builtin-jobs';
import type { AnyJobDefinition } from '../../application/jobs/job-definition';
import { JobRegistry } from '../../application/jobs/job-registry';
import type { ModelFlavorLoader } from '../../domain/ports/model-loader';
import type { TokenTypes } from '../../domain/tokens';
import { type AppConfig, type AppConfigInput, parseAppConfig } from '../config/schema';
import type { CompositionContext } from './composition-context';
import type { MlopsContainer } from './mlops-container';
import { alertingModule, configModule, loggingModule, modelsModule, trackingModule } from './modules';
import type { Profile } from './profiles';
import { runtimeModule } from './runtime-binding';

/**
 * Bindings to replace, keyed by token and typed by it: each value is bound as a constant before anything is resolved.
 *
 * @example const overrides: ContainerOverrides = { [TYPES.Alerter]: slackAlerter, [TYPES.Clock]: () => 0 };
 */
export type ContainerOverrides = Partial<TokenTypes>;

/**
 * What `createContainer` builds from: the config, the profile that picks adapters, the environment,
 * adapter overrides and the app's own job kinds. Every field is optional: `createContainer()` alone is a
 * local container for the built-in kinds.
 *
 * @example createContainer({ config, env, profile: 'test', overrides: { [TYPES.Tracker]: tracker }, jobs: [HelloJobDefinition] });
 */
export interface CreateContainerOptions<J extends readonly AnyJobDefinition[] = readonly []> {
  /** Config from `loadConfig`, or an object written in code: either way it is validated and defaulted here. */
  config?: AppConfig | AppConfigInput;
  /** Which adapters to use (see `PROFILES`). Default `local`. */
  profile?: Profile;
  /** Environment for MLFLOW_* / AWS_* fallbacks and secret redaction; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Adapters to use instead of the profile's, applied before the first resolve. */
  overrides?: ContainerOverrides;
  /** The app's own job kinds (made with `defineJob`), added to the built-in ones. */
  jobs?: J;
  /** The app's own model flavor loaders, tried before the built-in `onnx` and `mlops_kit` ones. */
  flavors?: readonly ModelFlavorLoader[];
  /** The most a model's files may weigh before the model loader refuses it (MODEL_TOO_LARGE). Default 512 MiB. */
  maxModelBytes?: number;
  /** Longest an alert may take before a job goes on without it (ms). Default 5000. */
  alertTimeoutMs?: number;
  /** Directory a relative tracking store path and `spillDir` resolve against. Default `process.cwd()`. */
  cwd?: string;
  /**
   * What runs show as their source (`mlflow.source.name`); git tags come from the checkout around `cwd`.
   * Default the app's entry script; the CLI passes the job's config file.
   */
  source?: string;
}

/**
 * The composition root: one ContainerModule per concern (config, logging, alerting, tracking, runtime),
 * adapters chosen by profile and tracking URI, the app's job kinds added to the built-in ones.
 * Overrides are applied before the first resolve, so no singleton can hold a stale dependency (the
 * NestJS `overrideProvider` guarantee). Build one per process; run jobs through `createRuntime`.
 *
 * @example
 * const { config, env } = loadConfig({ files: ['mlops.yaml'], requireJob: false });
 * const container = createContainer({ config, env, profile: 'production', jobs: [HelloJobDefinition] });
 * const runtime = createRuntime(container);
 */
export function createContainer<const J extends readonly AnyJobDefinition[] = readonly []>(
  options: CreateContainerOptions<J> = {},
): MlopsContainer<BuiltinJobDefinition | J[number]> {
  const env = options.env ?? process.env;
  const jobs = new JobRegistry<AnyJobDefinition>([...BUILTIN_JOBS, ...(options.jobs ?? [])]);
  const ctx: CompositionContext = {
    // parsing is idempotent, so a config from loadConfig can go through it again at no risk
    config: parseAppConfig(options.config ?? {}, { env, jobs }),
    env,
    profile: options.profile ?? 'local',
    cwd: options.cwd ?? process.cwd(),
    source: options.source ?? process.argv[1] ?? 'node',
    jobs,
    flavors: options.flavors ?? [],
    ...(options.maxModelBytes !== undefined && { maxModelBytes: options.maxModelBytes }),
    ...(options.alertTimeoutMs !== undefined && { alertTimeoutMs: options.alertTimeoutMs }),
  };
  const container = new Container();
  container.loadSync(configModule(ctx), loggingModule(ctx), alertingModule(ctx), trackingModule(ctx), modelsModule(ctx), runtimeModule(ctx));
  applyOverrides(container, options.overrides);
  return container as MlopsContainer<BuiltinJobDefinition | J[number]>;
}

/**
 * A container for tests: the `test` profile (in-memory logger, alerter, tracker, registry) with your
 * overrides applied before anything is resolved.
 *
 * @example
 * const tracker = new InMemoryTracker();
 * const runtime = createRuntime(createTestContainer({ overrides: { [TYPES.Tracker]: tracker } }));
 * await runtime.start();
 * await runtime.run({ KIND: 'ExampleJob' });
 * expect(tracker.runs()).toHaveLength(1);
 */
export function createTestContainer<const J extends readonly AnyJobDefinition[] = readonly []>(
  options: Omit<CreateContainerOptions<J>, 'profile'> = {},
): MlopsContainer<BuiltinJobDefinition | J[number]> {
  return createContainer({ ...options, profile: 'test', env: options.env ?? {} });
}

function applyOverrides(container: Container, overrides: ContainerOverrides | undefined): void {
  if (!overrides) return;
  for (const key of Object.getOwnPropertySymbols(overrides)) {
    const value = (overrides as Record<symbol, unknown>)[key];
    if (value === undefined) continue;
    if (container.isBound(key)) container.rebindSync(key).toConstantValue(value);
    else container.bind(key).toConstantValue(value);
  }
}
