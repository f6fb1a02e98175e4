/* eslint-disable @typescript-eslint/no-require-imports --
 * The root entry's functions whose implementations need inversify, zod, yaml or dotenv. They require
 * their module on the first call, so `require('mlops-kit')` costs only our own small modules (see
 * bench/import-cost.ts; tests/consumers/cheap-import.test.ts fails if the root loads one of them eagerly).
 * `import type` keeps every signature exactly the implementation's. */
import type { BuiltinJobDefinition } from '../application/jobs/builtin-jobs';
import type { AnyJobDefinition } from '../application/jobs/job-definition';
import type { JobRegistry } from '../application/jobs/job-registry';
import type * as Composition from '../infrastructure/container/create-container';
import type { CreateContainerOptions } from '../infrastructure/container/create-container';
import type { MlopsContainer } from '../infrastructure/container/mlops-container';
import type * as JsonSchema from '../infrastructure/config/json-schema';
import type * as Load from '../infrastructure/config/load';
import type { LoadConfigOptions, LoadedConfig } from '../infrastructure/config/load';
import type * as Schema from '../infrastructure/config/schema';
import type { AppConfig, ParseAppConfigOptions, RunnableConfig } from '../infrastructure/config/schema';

const composition = (): typeof Composition => require('../infrastructure/container/create-container');
const load = (): typeof Load => require('../infrastructure/config/load');
const schema = (): typeof Schema => require('../infrastructure/config/schema');
const jsonSchema = (): typeof JsonSchema => require('../infrastructure/config/json-schema');

/**
 * Builds the app's container (the composition root): one ContainerModule per concern (config, logging,
 * alerting, tracking, runtime), adapters chosen by profile and tracking URI, the app's job kinds added
 * to the built-in ones. Overrides are typed by token and applied before the first resolve, so no
 * singleton can hold a stale dependency. Build one per process; run jobs through `createRuntime`.
 *
 * @example
 * const { config, env } = loadConfig({ files: ['mlops.yaml'], requireJob: false });
 * const container = createContainer({ config, env, profile: 'production', jobs: [GreetJobDefinition], overrides: { [TYPES.Alerter]: new SlackAlerter(webhook) } });
 * const runtime = createRuntime(container);
 */
export function createContainer<const J extends readonly AnyJobDefinition[] = readonly []>(
  options: CreateContainerOptions<J> = {},
): MlopsContainer<BuiltinJobDefinition | J[number]> {
  return composition().createContainer(options);
}

/**
 * Loads the configuration the way the CLI does: read `.env` (process env wins), parse each file,
 * deep-merge them in order, apply `--set` overrides, substitute `${VAR}` / `${VAR:-default}` in string
 * values, then validate. Every failure is a ConfigError with a stable code and a one-line message
 * `<file>: <key.path>: <problem>. <fix>`.
 *
 * `requireJob: false` loads a service config without a `job:` section (a backend's); `jobs` adds the
 * app's own kinds to what `job:` may name.
 *
 * @example
 * const { config, env } = loadConfig({ files: ['conf/base.yaml', 'conf/promotion.yaml'], sets: ['job.alias=Challenger'] });
 * config.job.KIND; // 'PromotionJob'
 */
export function loadConfig(options: LoadConfigOptions & { requireJob: false }): LoadedConfig<AppConfig>;
export function loadConfig(options: LoadConfigOptions): LoadedConfig;
export function loadConfig(options: LoadConfigOptions): LoadedConfig<AppConfig> {
  return load().loadConfig(options);
}

/**
 * Validates a configuration object (from files, or built in code) and applies every default. It is
 * idempotent: a parsed config parses to itself. Throws ConfigError with a one-line, actionable message.
 *
 * @example
 * const config = parseAppConfig({ tracking: { uri: 'memory:' }, job: { KIND: 'PromotionJob', model: 'churn' } });
 * config.job?.KIND === 'PromotionJob' && config.job.alias; // 'Champion'
 */
export function parseAppConfig(raw: unknown, options: ParseAppConfigOptions & { requireJob: true }): RunnableConfig;
export function parseAppConfig(raw: unknown, options?: ParseAppConfigOptions): AppConfig;
export function parseAppConfig(raw: unknown, options: ParseAppConfigOptions = {}): AppConfig {
  return schema().parseAppConfig(raw, options);
}

/**
 * The configuration's JSON Schema (draft 2020-12), as `mlops-kit schema` prints it, for editors and
 * for validating config files in other tools; pass a JobRegistry (`mlops-kit/jobs`) to include an app's kinds.
 *
 * @example
 * fs.writeFileSync('mlops-kit.schema.json', JSON.stringify(configJsonSchema(), null, 2));
 */
export function configJsonSchema(jobs?: JobRegistry): Record<string, unknown> {
  return jsonSchema().configJsonSchema(jobs);
}
