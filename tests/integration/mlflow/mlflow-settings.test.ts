import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, ErrorCodes } from '../../../src/domain/errors';
import { resolveMlflowSettings, settingsSecrets } from '../../../src/infrastructure/tracking/mlflow';

const URI = 'http://127.0.0.1:5000';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveMlflowSettings', () => {
  let dir: string;
  let pem: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mlflow-settings-'));
    pem = path.join(dir, 'ca.pem');
    writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("uses MLflow's defaults when only the URI is set", () => {
    const s = resolveMlflowSettings(undefined, { MLFLOW_TRACKING_URI: `${URI}/` });
    expect(s).toMatchObject({
      trackingUri: URI,
      registryUri: URI,
      experimentName: 'Default',
      auth: { kind: 'none' },
      tls: { insecure: false },
      maxRetries: 7,
      backoffFactor: 2,
      backoffJitter: 1,
      timeoutSeconds: 120,
      onUnavailable: 'spill',
    });
  });

  it('reads every MLFLOW_* and AWS_* variable', () => {
    const s = resolveMlflowSettings(undefined, {
      MLFLOW_TRACKING_URI: URI,
      MLFLOW_REGISTRY_URI: 'https://registry.example.com',
      MLFLOW_EXPERIMENT_NAME: 'churn',
      MLFLOW_TRACKING_TOKEN: 'tok-123',
      MLFLOW_TRACKING_SERVER_CERT_PATH: pem,
      MLFLOW_TRACKING_CLIENT_CERT_PATH: pem,
      MLFLOW_HTTP_REQUEST_MAX_RETRIES: '3',
      MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: '0.5',
      MLFLOW_HTTP_REQUEST_BACKOFF_JITTER: '0',
      MLFLOW_HTTP_REQUEST_TIMEOUT: '30',
      MLFLOW_S3_ENDPOINT_URL: 'http://127.0.0.1:9000',
      MLFLOW_S3_IGNORE_TLS: 'true',
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_SECRET_ACCESS_KEY: 'aws-secret',
      AWS_SESSION_TOKEN: 'aws-session',
      AWS_DEFAULT_REGION: 'eu-west-1',
    });
    expect(s).toMatchObject({
      registryUri: 'https://registry.example.com',
      experimentName: 'churn',
      auth: { kind: 'bearer', token: 'tok-123' },
      tls: { insecure: false, serverCertPath: pem, clientCertPath: pem },
      maxRetries: 3,
      backoffFactor: 0.5,
      backoffJitter: 0,
      timeoutSeconds: 30,
      s3: { endpointUrl: 'http://127.0.0.1:9000', ignoreTls: true, accessKeyId: 'AKIA', secretAccessKey: 'aws-secret', sessionToken: 'aws-session', region: 'eu-west-1' },
    });
  });

  it('lets explicit config beat the environment, field by field', () => {
    const s = resolveMlflowSettings(
      { uri: 'http://config-host:5000', experimentName: 'from-config', maxRetries: 2, s3: { region: 'us-east-2' } },
      { MLFLOW_TRACKING_URI: 'http://env-host:5000', MLFLOW_EXPERIMENT_NAME: 'from-env', MLFLOW_HTTP_REQUEST_MAX_RETRIES: '5', MLFLOW_HTTP_REQUEST_TIMEOUT: '9', AWS_DEFAULT_REGION: 'eu-west-1' },
    );
    expect(s).toMatchObject({ trackingUri: 'http://config-host:5000', experimentName: 'from-config', maxRetries: 2, timeoutSeconds: 9, s3: { region: 'us-east-2' } });
  });

  it('uses Basic auth when username and password are both set, even with a token', () => {
    const s = resolveMlflowSettings({ uri: URI }, { MLFLOW_TRACKING_USERNAME: 'ana', MLFLOW_TRACKING_PASSWORD: 'pw', MLFLOW_TRACKING_TOKEN: 'tok' });
    expect(s.auth).toEqual({ kind: 'basic', username: 'ana', password: 'pw' });
    // a username alone is not enough for Basic: the token is used
    expect(resolveMlflowSettings({ uri: URI }, { MLFLOW_TRACKING_USERNAME: 'ana', MLFLOW_TRACKING_TOKEN: 'tok' }).auth).toEqual({ kind: 'bearer', token: 'tok' });
  });

  it('moves user:pass@ out of the URI into Basic auth', () => {
    const s = resolveMlflowSettings({ uri: 'https://bob:s%40cret@mlflow.example.com/' }, {});
    expect(s.trackingUri).toBe('https://mlflow.example.com');
    expect(s.auth).toEqual({ kind: 'basic', username: 'bob', password: 's@cret' });
    expect(settingsSecrets(s)).toContain('s@cret');
  });

  it('requires a tracking URI and names both ways to set it', () => {
    const error = configError(() => resolveMlflowSettings({}, {}));
    expect(error.code).toBe(ErrorCodes.CONFIG_MISSING_ENV);
    expect(error.message).toMatch(/MLFLOW_TRACKING_URI/);
    expect(error.message).toMatch(/tracking\.uri/);
  });

  it('refuses a non-http URI for the REST adapter', () => {
    const error = configError(() => resolveMlflowSettings({ uri: 'file:///tmp/mlruns' }, {}));
    expect(error.code).toBe(ErrorCodes.CONFIG_INVALID);
    expect(error.message).toMatch(/tracking\.uri.*http/);
  });

  it.each([
    ['MLFLOW_HTTP_REQUEST_MAX_RETRIES', 'many', /whole number/],
    ['MLFLOW_HTTP_REQUEST_MAX_RETRIES', '10', /fewer than 10.*0 to 9/],
    ['MLFLOW_HTTP_REQUEST_MAX_RETRIES', '2.5', /whole number/],
    ['MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR', '-1', /number of at least 0/],
    ['MLFLOW_HTTP_REQUEST_TIMEOUT', '0', /greater than 0/],
    ['MLFLOW_TRACKING_INSECURE_TLS', 'maybe', /true or false/],
  ])('refuses %s=%s with a message naming the variable and the fix', (variable, value, fix) => {
    const error = configError(() => resolveMlflowSettings({ uri: URI }, { [variable]: value }));
    expect(error.code).toBe(ErrorCodes.CONFIG_INVALID);
    expect(error.message).toContain(variable);
    expect(error.message).toMatch(fix);
  });

  it('names the config key when the bad value came from config', () => {
    const error = configError(() => resolveMlflowSettings({ uri: URI, maxRetries: 12 }, {}));
    expect(error.message).toContain('tracking.maxRetries');
  });

  it('refuses insecure TLS together with a server certificate', () => {
    const error = configError(() => resolveMlflowSettings({ uri: URI }, { MLFLOW_TRACKING_INSECURE_TLS: 'true', MLFLOW_TRACKING_SERVER_CERT_PATH: pem }));
    expect(error.message).toMatch(/MLFLOW_TRACKING_INSECURE_TLS and MLFLOW_TRACKING_SERVER_CERT_PATH cannot both be set/);
  });

  it('refuses a certificate path that does not exist', () => {
    const missing = path.join(dir, 'nope.pem');
    const error = configError(() => resolveMlflowSettings({ uri: URI, clientCertPath: missing }, {}));
    expect(error.message).toContain('tracking.clientCertPath');
    expect(error.message).toContain(missing);
    expect(error.message).toMatch(/does not exist/);
  });

  it('lists the secrets to redact: password, its Basic encoding, token, AWS secret and session token', () => {
    const s = resolveMlflowSettings({ uri: URI, username: 'u', password: 'p4ss', s3: { secretAccessKey: 'aws-s', sessionToken: 'aws-t' } }, {});
    expect(settingsSecrets(s)).toEqual(['p4ss', Buffer.from('u:p4ss').toString('base64'), 'aws-s', 'aws-t']);
  });
});
