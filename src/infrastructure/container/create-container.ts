import 'reflect-metadata';
import { Container } from 'inversify';
import type { Job } from '../../application/jobs/job';
import { ConfigError, ErrorCodes } from '../../domain/errors';
import { TYPES } from '../../domain/tokens';
import { type AppConfig, parseAppConfig } from '../config/schema';
import { findJobEntry, JOB_CATALOG } from './job-catalog';
import { alertingModule, type CompositionContext, configModule, jobsModule, loggingModule, trackingModule } from './modules';
import type { Profile } from './profiles';

/** Bindings to replace, keyed by token: a value is bound as a constant before anything is resolved. */
export type ContainerOverrides = Partial<Record<symbol | string, unknown>>;

export interface CreateContainerOptions {
  /** Config from `loadConfig`, or a partial object: either way it is validated and defaulted here. */
  config?: AppConfig | Record<string, unknown>;
  profile?: Profile;
  /** Environment for MLFLOW_* / AWS_* fallbacks and secret redaction; defaults to process.env. */
  env?: Record<string, string | undefined>;
  overrides?: ContainerOverrides;
  cwd?: string;
}

/**
 * The composition root: one ContainerModule per concern (config, logging, alerting, tracking, jobs),
 * adapters chosen by profile and tracking URI. Overrides are applied before the first resolve, so no
 * singleton can hold a stale dependency (the NestJS `overrideProvider` guarantee).
 *
 * @example
 * const { config, env } = loadConfig({ files: ['job.yaml'] });
 * const container = createContainer({ config, env, profile: 'production' });
 * container.rebindSync(TYPES.Alerter).toConstantValue(new SlackAlerter(webhook)); // before the first get
 * await resolveJob(container).execute();
 */
export function createContainer(options: CreateContainerOptions = {}): Container {
  const profile = options.profile ?? 'local';
  const env = options.env ?? process.env;
  const ctx: CompositionContext = {
    // parsing is idempotent, so a config from loadConfig can go through it again at no risk
    config: parseAppConfig(options.config ?? {}, { env }),
    env,
    profile,
    cwd: options.cwd ?? process.cwd(),
  };
  const container = new Container();
  container.loadSync(configModule(ctx), loggingModule(ctx), alertingModule(ctx), trackingModule(ctx), jobsModule());
  applyOverrides(container, options.overrides);
  return container;
}

/**
 * A container for tests: the `test` profile (in-memory logger, alerter, tracker, registry) with your
 * overrides applied before anything is resolved.
 *
 * @example
 * const tracker = new InMemoryTracker();
 * const container = createTestContainer({ overrides: { [TYPES.Tracker]: tracker }, config: { job: { KIND: 'ExampleJob' } } });
 * await resolveJob(container).execute();
 * expect(tracker.runs()).toHaveLength(1);
 */
export function createTestContainer(options: Omit<CreateContainerOptions, 'profile'> = {}): Container {
  return createContainer({ ...options, profile: 'test', env: options.env ?? {} });
}

/** Resolves the job named by the config's `job.KIND`, with its ports injected. */
export function resolveJob(container: Container): Job {
  const config = container.get<AppConfig>(TYPES.Config);
  const kind = config.job?.KIND;
  if (!kind || !findJobEntry(kind)) {
    throw new ConfigError(
      `job.KIND: ${kind ? `unknown job kind "${kind}"` : 'no job configured'}. Valid kinds: ${JOB_CATALOG.map((e) => e.kind).join(', ')}.`,
      ErrorCodes.CONFIG_UNKNOWN_KIND,
      { details: { keyPath: 'job.KIND' } },
    );
  }
  return container.get<Job>(kind);
}

function applyOverrides(container: Container, overrides: ContainerOverrides | undefined): void {
  if (!overrides) return;
  const keys: (symbol | string)[] = [...Object.getOwnPropertySymbols(overrides), ...Object.keys(overrides)];
  for (const key of keys) {
    const value = overrides[key as keyof ContainerOverrides];
    if (container.isBound(key)) container.rebindSync(key).toConstantValue(value);
    else container.bind(key).toConstantValue(value);
  }
}
