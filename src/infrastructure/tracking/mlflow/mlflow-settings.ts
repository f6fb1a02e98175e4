import { existsSync } from 'node:fs';
import { ConfigError, ErrorCodes } from '../../../domain/errors';
import type { S3Settings as S3StoreSettings } from '../artifacts';
import { envBoolean, envNumber, firstSet, splitUserInfo, type Picked } from './settings-parsing';

/** The `s3` part of the `tracking` config section: the same fields the S3 artifact store takes. */
export type TrackingS3Config = S3StoreSettings;

/** The `tracking` config section as this adapter reads it (the zod type in config/schema.ts fits it). */
export interface TrackingConfig {
  uri?: string;
  registryUri?: string;
  experimentName?: string;
  username?: string;
  password?: string;
  token?: string;
  insecureTls?: boolean;
  serverCertPath?: string;
  clientCertPath?: string;
  maxRetries?: number;
  backoffFactor?: number;
  backoffJitter?: number;
  timeoutSeconds?: number;
  s3?: TrackingS3Config;
  onUnavailable?: 'spill' | 'fail';
  spillDir?: string;
}

/** Credentials and endpoint for `s3://` artifact roots (MLflow's MLFLOW_S3_* and AWS_* variables), resolved. */
export interface S3Settings extends S3StoreSettings {
  ignoreTls: boolean;
}

export type MlflowAuth =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'bearer'; token: string };

export interface MlflowTlsSettings {
  insecure: boolean;
  /** CA bundle (PEM) to trust. */
  serverCertPath?: string;
  /** PEM holding the client certificate and its private key. */
  clientCertPath?: string;
}

/** Everything the MLflow adapters need, resolved once from config + environment and validated. */
export interface MlflowSettings {
  /** Server URL without credentials and without a trailing slash. */
  trackingUri: string;
  registryUri: string;
  experimentName: string;
  auth: MlflowAuth;
  tls: MlflowTlsSettings;
  maxRetries: number;
  backoffFactor: number;
  backoffJitter: number;
  timeoutSeconds: number;
  s3: S3Settings;
  onUnavailable: 'spill' | 'fail';
  spillDir: string;
}

export type EnvLike = Record<string, string | undefined>;

export const MLFLOW_DEFAULTS = {
  experimentName: 'Default',
  maxRetries: 7,
  backoffFactor: 2,
  backoffJitter: 1,
  timeoutSeconds: 120,
  spillDir: './mlruns-spill',
} as const;

/**
 * Resolves the MLflow settings the way MLflow's Python client reads its environment, with explicit
 * config winning over MLFLOW_* / AWS_* variables. Bad values fail here, at start-up, with a ConfigError
 * that names the key or variable and the fix, instead of as an obscure network error later.
 *
 * Credentials written into the URI (`https://user:pass@host`) are moved into `auth` so the URI can be
 * shown in messages without leaking them.
 *
 * @example
 * const settings = resolveMlflowSettings({ uri: 'http://127.0.0.1:5000' }, process.env);
 * settings.maxRetries; // 7 unless MLFLOW_HTTP_REQUEST_MAX_RETRIES says otherwise
 */
export function resolveMlflowSettings(tracking: Partial<TrackingConfig> | undefined, env: EnvLike): MlflowSettings {
  const t = tracking ?? {};
  const uri = firstSet(t.uri, 'tracking.uri', env, 'MLFLOW_TRACKING_URI');
  if (!uri) {
    throw new ConfigError(
      'No MLflow tracking URI: set MLFLOW_TRACKING_URI or tracking.uri to the server, e.g. http://127.0.0.1:5000.',
      ErrorCodes.CONFIG_MISSING_ENV,
      { details: { keyPath: 'tracking.uri', variable: 'MLFLOW_TRACKING_URI' } },
    );
  }
  const tracked = httpUri(uri);
  const registryPicked = firstSet(t.registryUri, 'tracking.registryUri', env, 'MLFLOW_REGISTRY_URI');
  const registry = registryPicked ? httpUri(registryPicked) : tracked;

  const maxRetries = envNumber(t.maxRetries, 'tracking.maxRetries', env, 'MLFLOW_HTTP_REQUEST_MAX_RETRIES', MLFLOW_DEFAULTS.maxRetries, { integer: true, min: 0 });
  if (maxRetries.value >= 10) {
    throw new ConfigError(
      `${maxRetries.source}=${maxRetries.value}: MLflow allows fewer than 10 retries. Use a value from 0 to 9 (default ${MLFLOW_DEFAULTS.maxRetries}).`,
      ErrorCodes.CONFIG_INVALID,
      { details: { source: maxRetries.source } },
    );
  }
  const backoffFactor = envNumber(t.backoffFactor, 'tracking.backoffFactor', env, 'MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR', MLFLOW_DEFAULTS.backoffFactor, { min: 0 });
  const backoffJitter = envNumber(t.backoffJitter, 'tracking.backoffJitter', env, 'MLFLOW_HTTP_REQUEST_BACKOFF_JITTER', MLFLOW_DEFAULTS.backoffJitter, { min: 0 });
  const timeout = envNumber(t.timeoutSeconds, 'tracking.timeoutSeconds', env, 'MLFLOW_HTTP_REQUEST_TIMEOUT', MLFLOW_DEFAULTS.timeoutSeconds, { min: 0, exclusiveMin: true });

  return {
    trackingUri: tracked.uri,
    registryUri: registry.uri,
    experimentName: firstSet(t.experimentName, 'tracking.experimentName', env, 'MLFLOW_EXPERIMENT_NAME')?.value ?? MLFLOW_DEFAULTS.experimentName,
    auth: resolveAuth(t, env, tracked.userInfo),
    tls: resolveTls(t, env),
    maxRetries: maxRetries.value,
    backoffFactor: backoffFactor.value,
    backoffJitter: backoffJitter.value,
    timeoutSeconds: timeout.value,
    s3: resolveS3(t.s3 ?? {}, env),
    onUnavailable: t.onUnavailable ?? 'spill',
    spillDir: t.spillDir ?? MLFLOW_DEFAULTS.spillDir,
  };
}

/** Every secret value in the settings (for redaction of messages and log lines). */
export function settingsSecrets(settings: MlflowSettings): string[] {
  const { auth, s3 } = settings;
  const values = [
    auth.kind === 'basic' ? auth.password : undefined,
    auth.kind === 'basic' ? Buffer.from(`${auth.username}:${auth.password}`).toString('base64') : undefined,
    auth.kind === 'bearer' ? auth.token : undefined,
    s3.secretAccessKey,
    s3.sessionToken,
  ];
  return values.filter((v): v is string => typeof v === 'string' && v.length > 0);
}

function httpUri(picked: Picked<string>): { uri: string; userInfo?: { username: string; password: string } } {
  const { uri, userInfo } = splitUserInfo(picked.value.trim());
  if (!/^https?:\/\/[^/]/i.test(uri)) {
    throw new ConfigError(
      `${picked.source}: the MLflow adapter needs an http:// or https:// server URL, got "${uri}". For a local store use a path or file: URI instead.`,
      ErrorCodes.CONFIG_INVALID,
      { details: { source: picked.source } },
    );
  }
  return { uri: uri.replace(/\/+$/, ''), userInfo };
}

function resolveAuth(t: Partial<TrackingConfig>, env: EnvLike, fromUri?: { username: string; password: string }): MlflowAuth {
  const username = firstSet(t.username, 'tracking.username', env, 'MLFLOW_TRACKING_USERNAME')?.value ?? fromUri?.username;
  const password = firstSet(t.password, 'tracking.password', env, 'MLFLOW_TRACKING_PASSWORD')?.value ?? fromUri?.password;
  // MLflow checks Basic first: with both credentials and a token set, the token is ignored
  if (username !== undefined && password !== undefined) return { kind: 'basic', username, password };
  const token = firstSet(t.token, 'tracking.token', env, 'MLFLOW_TRACKING_TOKEN')?.value;
  if (token !== undefined) return { kind: 'bearer', token };
  return { kind: 'none' };
}

function resolveTls(t: Partial<TrackingConfig>, env: EnvLike): MlflowTlsSettings {
  const insecure = envBoolean(t.insecureTls, 'tracking.insecureTls', env, 'MLFLOW_TRACKING_INSECURE_TLS');
  const serverCert = firstSet(t.serverCertPath, 'tracking.serverCertPath', env, 'MLFLOW_TRACKING_SERVER_CERT_PATH');
  const clientCert = firstSet(t.clientCertPath, 'tracking.clientCertPath', env, 'MLFLOW_TRACKING_CLIENT_CERT_PATH');
  if (insecure.value && serverCert) {
    throw new ConfigError(
      `${insecure.source} and ${serverCert.source} cannot both be set: skipping certificate checks and trusting a CA bundle contradict each other. Keep one of them.`,
      ErrorCodes.CONFIG_INVALID,
      { details: { sources: [insecure.source, serverCert.source] } },
    );
  }
  for (const cert of [serverCert, clientCert]) {
    if (cert && !existsSync(cert.value)) {
      throw new ConfigError(
        `${cert.source}: certificate file "${cert.value}" does not exist. Point it at a readable PEM file, or unset it.`,
        ErrorCodes.CONFIG_INVALID,
        { details: { source: cert.source, path: cert.value } },
      );
    }
  }
  return { insecure: insecure.value, serverCertPath: serverCert?.value, clientCertPath: clientCert?.value };
}

function resolveS3(s3: TrackingS3Config, env: EnvLike): S3Settings {
  return {
    endpointUrl: firstSet(s3.endpointUrl, 'tracking.s3.endpointUrl', env, 'MLFLOW_S3_ENDPOINT_URL')?.value,
    ignoreTls: envBoolean(s3.ignoreTls, 'tracking.s3.ignoreTls', env, 'MLFLOW_S3_IGNORE_TLS').value,
    accessKeyId: firstSet(s3.accessKeyId, 'tracking.s3.accessKeyId', env, 'AWS_ACCESS_KEY_ID')?.value,
    secretAccessKey: firstSet(s3.secretAccessKey, 'tracking.s3.secretAccessKey', env, 'AWS_SECRET_ACCESS_KEY')?.value,
    sessionToken: firstSet(s3.sessionToken, 'tracking.s3.sessionToken', env, 'AWS_SESSION_TOKEN')?.value,
    region: firstSet(s3.region, 'tracking.s3.region', env, 'AWS_DEFAULT_REGION')?.value,
  };
}
