import { ConfigError, ErrorCodes } from '../../domain/errors';
import { rememberSecrets } from '../logging/known-secrets';
import { Redactor, redactionSecretsFromEnv } from '../logging/redaction';
import { loadEnv, type EnvMap } from './env';
import { CONFIG_LIMITS, depthError, exceedsDepth } from './limits';
import { secretValues } from './mask';
import { OriginIndex, type ConfigSource } from './origins';
import { parseOverride } from './overrides';
import { preflightConfig } from './preflight';
import { readConfigFile } from './read-file';
import type { JobRegistry } from '../../application/jobs/job-registry';
import { parseAppConfig, type AppConfig, type RunnableConfig } from './schema';
import { substituteTree } from './substitute';
import { deepMerge, dropNulls, formatKeyPath, setAtPath, type ConfigTree } from './tree';

/**
 * What `loadConfig` reads: the files and `--set` overrides to merge, the dotenv file and environment,
 * and the job kinds a `job:` section may name.
 *
 * @example loadConfig({ files: ['mlops.yaml'], envFile: false, env: { MLFLOW_TRACKING_URI: 'memory:' }, requireJob: false });
 */
export interface LoadConfigOptions {
  /** Config files, merged in order (later wins). Relative paths resolve against `cwd`. */
  files: string[];
  /** `key.path=value` overrides (the CLI's `--set`), applied after the files, in order. */
  sets?: string[];
  /** Dotenv file relative to `cwd`. Default `.env` (fine if missing); `false` reads none. */
  envFile?: string | false;
  /** Environment to read (never modified). Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Directory relative paths resolve against. Default `process.cwd()`. */
  cwd?: string;
  /** The job kinds `job:` may name. Default: the built-in kinds (pass the app's registry for its own). */
  jobs?: JobRegistry;
  /** Require a `job:` section (the CLI's `run`). Default true; a backend's service config has none. */
  requireJob?: boolean;
}

/**
 * What `loadConfig` returns: the validated config, and the environment to hand to `createContainer`
 * with it so adapters see the same variables (`.env` included).
 *
 * @example const { config, env, sources }: LoadedConfig = loadConfig({ files: ['job.yaml'] }); logger.info('config loaded', { sources });
 */
export interface LoadedConfig<C extends AppConfig = RunnableConfig> {
  /** The validated configuration with every default applied. */
  config: C;
  /** The merged environment (process env over .env): adapters fill unset MLFLOW_* and AWS_* settings from it. */
  env: EnvMap;
  /** What went into the config, in merge order: the files as given, then `--set <key.path>` (values omitted). */
  sources: string[];
  /** Absolute path of the dotenv file that was read, if one was. */
  envFile?: string;
}

/**
 * Loads the configuration the way the CLI does: read `.env` (process env wins), parse each file,
 * deep-merge them in order, apply `--set` overrides, substitute `${VAR}` / `${VAR:-default}` in string
 * values, fill `job.model` from MLOPS_MODEL_NAME when unset, validate, then check what needs the file
 * system or a URL parser (see preflightConfig) — all before any service starts. Every failure is a
 * ConfigError with a stable code and a one-line message `<file>: <key.path>: <problem>. <fix>`, in which
 * no secret (from the environment, `.env` or the config) or piece of one appears. The secrets seen are
 * remembered for the CLI's last line and `--print-config` (see known-secrets.ts).
 *
 * @example
 * const { config, env } = loadConfig({ files: ['conf/base.yaml', 'conf/promotion.yaml'], sets: ['job.alias=Challenger'] });
 * config.job.KIND; // 'PromotionJob'
 */
export function loadConfig(options: LoadConfigOptions & { requireJob: false }): LoadedConfig<AppConfig>;
export function loadConfig(options: LoadConfigOptions): LoadedConfig;
export function loadConfig(options: LoadConfigOptions): LoadedConfig<AppConfig> {
  const cwd = options.cwd ?? process.cwd();
  const { env, envFile } = loadEnv({ envFile: options.envFile, env: options.env, cwd });
  const secrets = new Set(redactionSecretsFromEnv(env));
  rememberSecrets(secrets);
  try {
    return loadWithEnv(options, cwd, env, envFile, secrets);
  } catch (error) {
    if (error instanceof ConfigError) throw masked(error, secrets);
    throw error;
  }
}

function loadWithEnv(options: LoadConfigOptions, cwd: string, env: EnvMap, envFile: string | undefined, secrets: Set<string>): LoadedConfig<AppConfig> {
  const remember = (values: string[]): void => {
    for (const value of values) secrets.add(value);
    rememberSecrets(values);
  };

  const sources: ConfigSource[] = [];
  let merged: ConfigTree = {};
  for (const file of options.files) {
    const tree = readConfigFile(file, cwd);
    remember(secretValues(tree));
    sources.push({ kind: 'file', name: file, tree });
    merged = deepMerge(merged, tree);
  }
  for (const argument of options.sets ?? []) {
    const { path, value } = parseOverride(argument);
    if (exceedsDepth(value, CONFIG_LIMITS.maxDepth - path.length)) throw depthError('--set');
    const blocked = setAtPath(merged, path, value);
    if (blocked !== undefined) {
      const key = path.join('.');
      throw new ConfigError(
        `--set: ${key}: "${formatKeyPath(blocked)}" is a list and "${path[blocked.length]}" is not one of its indexes. ` +
          `Use an index from 0 to the list's length - 1, or set the whole list: --set ${formatKeyPath(blocked)}=[…].`,
        ErrorCodes.CONFIG_BAD_OVERRIDE,
        { details: { file: '--set', keyPath: key } },
      );
    }
    sources.push({ kind: 'set', name: '--set', path });
  }

  const origins = new OriginIndex(sources);
  const originOf = (path: Parameters<OriginIndex['originOf']>[0]) => origins.originOf(path);
  remember(secretValues(merged));
  const substituted = dropNulls(substituteTree(merged, env, originOf));
  remember(secretValues(substituted));
  const config = parseAppConfig(substituted, { env, originOf, requireJob: options.requireJob ?? true, ...(options.jobs && { jobs: options.jobs }) });
  preflightConfig(config, { cwd, env, originOf });

  return {
    config,
    env,
    sources: sources.map((s) => (s.kind === 'file' ? s.name : `--set ${s.path.join('.')}`)),
    ...(envFile !== undefined ? { envFile } : {}),
  };
}

/** The same error with every known secret, and every 4+ character piece of one, masked in its message. */
function masked(error: ConfigError, secrets: Iterable<string>): ConfigError {
  const redactor = new Redactor(secrets);
  const message = redactor.text(error.message);
  if (message === error.message) return error;
  return new ConfigError(message, error.code, { details: redactor.fields(error.details) as Record<string, unknown> });
}
