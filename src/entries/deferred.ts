/* eslint-disable @typescript-eslint/no-require-imports --
 * The root entry's functions whose implementations need inversify, zod, yaml or dotenv. They require
 * their module on the first call, so `require('mlops-kit')` costs only our own small modules (see
 * bench/import-cost.ts; tests/consumers/cheap-import.test.ts fails if the root loads one of them eagerly).
 * `import type` keeps every signature exactly the implementation's. */
import type { Container } from 'inversify';
import type { Job } from '../application/jobs/job';
import type * as Composition from '../infrastructure/container/create-container';
import type { CreateContainerOptions } from '../infrastructure/container/create-container';
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
 * Builds the app's Inversify container (the composition root): one ContainerModule per concern
 * (config, logging, alerting, tracking, jobs), adapters chosen by profile and tracking URI. Overrides
 * are applied before the first resolve, so no singleton can hold a stale dependency.
 *
 * @example
 * const { config, env } = loadConfig({ files: ['job.yaml'] });
 * const container = createContainer({ config, env, profile: 'production', overrides: { [TYPES.Alerter]: new SlackAlerter(webhook) } });
 * await resolveJob(container).execute();
 */
export function createContainer(options: CreateContainerOptions = {}): Container {
  return composition().createContainer(options);
}

/**
 * Resolves the job named by the config's `job.KIND`, with its ports injected.
 *
 * @example
 * const result = await resolveJob(createContainer({ config })).execute();
 */
export function resolveJob(container: Container): Job {
  return composition().resolveJob(container);
}

/**
 * Loads the configuration the way the CLI does: read `.env` (process env wins), parse each file,
 * deep-merge them in order, apply `--set` overrides, substitute `${VAR}` / `${VAR:-default}` in string
 * values, then validate. Every failure is a ConfigError with a stable code and a one-line message
 * `<file>: <key.path>: <problem>. <fix>`.
 *
 * @example
 * const { config, env } = loadConfig({ files: ['conf/base.yaml', 'conf/promotion.yaml'], sets: ['job.alias=Challenger'] });
 * config.job.KIND; // 'PromotionJob'
 */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
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
 * for validating config files in other tools.
 *
 * @example
 * fs.writeFileSync('mlops-kit.schema.json', JSON.stringify(configJsonSchema(), null, 2));
 */
export function configJsonSchema(): Record<string, unknown> {
  return jsonSchema().configJsonSchema();
}
