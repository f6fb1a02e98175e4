import { readFileSync } from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { ConfigError, ErrorCodes } from '../../domain/errors';
import { rememberSecrets } from '../logging/known-secrets';
import { redactionSecretsFromEnv } from '../logging/redaction';

const DEFAULT_ENV_FILE = '.env';

/**
 * An environment as mlops-kit reads it: variable names to values. `loadConfig` returns the process
 * environment over `.env` as one; pass it on to `createContainer`.
 *
 * @example const env: EnvMap = { ...process.env, MLFLOW_TRACKING_URI: 'memory:' }; createContainer({ config, env });
 */
export type EnvMap = Record<string, string | undefined>;

export interface LoadEnvOptions {
  /** Path of the dotenv file, relative to `cwd`. Default `.env` (fine if missing); `false` skips it. */
  envFile?: string | false;
  /** The process environment; default `process.env`. It is read, never modified. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface LoadedEnv {
  /** The merged view: process env wins over the dotenv file. */
  env: EnvMap;
  /** The dotenv file that was read, if any. */
  envFile?: string;
}

/**
 * Reads the dotenv file into a plain object (never into `process.env`) and overlays the process
 * environment on it, so a variable exported in the shell beats the same one in `.env`.
 *
 * A missing `.env` is normal (CI, containers). Another file the caller named explicitly
 * (`--env-file conf/staging.env`) that does not exist is a mistake worth reporting, so it throws
 * ConfigError(CONFIG_FILE_NOT_FOUND).
 *
 * @example
 * const { env } = loadEnv({ cwd: '/srv/app', env: process.env });
 * env.MLFLOW_TRACKING_URI; // from the shell if exported there, else from /srv/app/.env
 */
export function loadEnv(options: LoadEnvOptions = {}): LoadedEnv {
  const cwd = options.cwd ?? process.cwd();
  const processEnv: EnvMap = { ...(options.env ?? process.env) };
  if (options.envFile === false) return { env: processEnv };
  // the CLI passes its default ".env" explicitly: only another, named file must exist
  const explicit = options.envFile !== undefined && path.normalize(options.envFile) !== DEFAULT_ENV_FILE;
  const file = path.resolve(cwd, options.envFile ?? DEFAULT_ENV_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicit) return { env: processEnv };
    const shown = options.envFile ?? DEFAULT_ENV_FILE;
    if (code === 'ENOENT') {
      throw new ConfigError(
        `${shown}: env file not found (looked in ${file}). Create it, or drop the option to run without one.`,
        ErrorCodes.CONFIG_FILE_NOT_FOUND,
        { details: { file: shown } },
      );
    }
    if (code === 'EISDIR') {
      throw new ConfigError(`${shown}: is a directory, not an env file (${file}). Pass a dotenv file (KEY=value lines).`, ErrorCodes.CONFIG_INVALID, {
        details: { file: shown },
      });
    }
    throw new ConfigError(`${shown}: cannot read env file (${code ?? 'error'}). Check that it is a readable file.`, ErrorCodes.CONFIG_INVALID, {
      details: { file: shown },
      cause: error,
    });
  }
  const fromFile = dotenv.parse(text);
  // an error long after loading (the CLI's last line) must still hide a password that lived only here
  rememberSecrets(redactionSecretsFromEnv(fromFile));
  return { env: { ...fromFile, ...definedOnly(processEnv) }, envFile: file };
}

/** `{ A: undefined }` must not hide `.env`'s A: only variables that are really set win. */
function definedOnly(env: EnvMap): EnvMap {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
}
