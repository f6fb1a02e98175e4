import { isSecretFieldKey, Redactor, redactionSecretsFromEnv } from '../../../src/infrastructure/logging/redaction';
import { ConfigError, ErrorCodes } from '../../../src/domain/errors';

describe('isSecretFieldKey: which field names hide their value', () => {
  it.each([
    'password', 'MLFLOW_TRACKING_PASSWORD', 'token', 'sessionToken', 'AWS_SESSION_TOKEN', 'secret', 'clientSecret',
    'secretAccessKey', 'AWS_SECRET_ACCESS_KEY', 'apiKey', 'api_key', 'x-api-key', 'apikey', 'accessKey', 'accessKeyId',
    'AWS_ACCESS_KEY_ID', 'private_key', 'authorization', 'Authorization', 'auth', 'credentials', 'cookie', 'X-Amz-Signature',
  ])('%s is secret', (key) => {
    expect(isSecretFieldKey(key)).toBe(true);
  });

  it.each(['key', 'metricKey', 'paramKey', 'tag_key', 'publicKey', 'objectKey', 'keyPath', 'maxTokens', 'tokenizer', 'runId', 'author', 'source'])(
    '%s is not secret',
    (key) => {
      expect(isSecretFieldKey(key)).toBe(false);
    },
  );
});

describe('Redactor.text: secret values inside free text', () => {
  const r = new Redactor(['hunter2!pw', 'tok_12345']);

  it('replaces every occurrence of a known secret, and its percent-encoded form', () => {
    expect(r.text('pw hunter2!pw then tok_12345 and hunter2!pw')).toBe('pw *** then *** and ***');
    expect(r.text(`posted pw=${encodeURIComponent('hunter2!pw')}`)).not.toContain('hunter2');
  });

  it('hides the password of user:pass@ in URLs but keeps the user and host', () => {
    expect(r.text('GET https://bob:other-pass@mlflow.example.com/api failed')).toBe('GET https://bob:***@mlflow.example.com/api failed');
  });

  it('hides Authorization header values and stand-alone bearer tokens', () => {
    expect(r.text('headers: Authorization: Basic Ym9iOnB3ZA== Accept: json')).toBe('headers: Authorization: Basic *** Accept: json');
    expect(r.text("{ authorization: 'Bearer eyJhbGciOi.x.y' }")).toBe("{ authorization: 'Bearer ***' }");
    expect(r.text('sent Bearer abcdef123456 upstream')).toBe('sent Bearer *** upstream');
    expect(r.text('Bearer authentication is required')).toBe('Bearer authentication is required');
  });

  it('hides secret-named query parameters and name=value pairs, and secret keys in JSON text', () => {
    expect(r.text('https://s3/b/k?X-Amz-Signature=abc123&part=2')).toBe('https://s3/b/k?X-Amz-Signature=***&part=2');
    expect(r.text('ran with --password=letmein key=accuracy')).toBe('ran with --password=*** key=accuracy');
    expect(r.text('body {"token": "t-999", "name": "m"}')).toBe('body {"token": "***", "name": "m"}');
  });

  it('ignores known secrets shorter than 4 characters', () => {
    expect(new Redactor(['ab', 'xyz']).text('abc xyz')).toBe('abc xyz');
  });
});

describe('Redactor.fields: values under secret keys and inside strings, at any depth', () => {
  const r = new Redactor(['s3cr3t-value']);

  it('hides values under secret keys at any depth and keeps harmless ones', () => {
    const out = r.fields({
      metricKey: 'accuracy',
      nested: { deeper: [{ apiKey: 'AKIA-XYZ', note: 'uses s3cr3t-value' }], credentials: { user: 'u', pass: 'p' } },
      password: '',
      token: undefined,
    });
    expect(out).toEqual({
      metricKey: 'accuracy',
      nested: { deeper: [{ apiKey: '***', note: 'uses ***' }], credentials: '***' },
      password: '',
      token: undefined,
    });
  });

  it('serializes Errors (name, message, code, stack, details, cause), redacted, leaving other properties out', () => {
    const cause = new Error('connect to https://u:pw@host failed');
    const error = new ConfigError('bad token s3cr3t-value', ErrorCodes.CONFIG_INVALID, { cause, details: { keyPath: 'a', secret: 'x' } });
    Object.assign(error, { request: { headers: { Authorization: 'Bearer zzz' } } });
    const debug = new Redactor(['s3cr3t-value'], { stacks: 'all' });
    const out = debug.fields({ error }).error as Record<string, unknown>;
    expect(out).toMatchObject({ name: 'ConfigError', message: 'bad token ***', code: 'CONFIG_INVALID', details: { keyPath: 'a', secret: '***' } });
    expect(out.stack).toContain('ConfigError: bad token ***');
    // without the debug switch an MlopsError is an expected failure: no stack; a plain Error (its cause) keeps one
    const quiet = new Redactor(['s3cr3t-value'], { stacks: 'unexpected' }).fields({ error }).error as Record<string, unknown>;
    expect(quiet.stack).toBeUndefined();
    expect((quiet.cause as Record<string, unknown>).stack).toContain('connect to');
    expect(JSON.stringify(out)).not.toMatch(/s3cr3t|:pw@|request/);
    expect((out.cause as Record<string, unknown>).message).toBe('connect to https://u:***@host failed');
  });

  it('survives cycles, BigInt and deep nesting, producing JSON-safe output', () => {
    const loop: Record<string, unknown> = { n: 1n, when: new Date(0) };
    loop.self = loop;
    const shared = { a: 1 };
    let deep: Record<string, unknown> = { end: true };
    for (let i = 0; i < 20; i++) deep = { deep };
    const out = r.fields({ loop, twice: [shared, shared], deep });
    expect(() => JSON.stringify(out)).not.toThrow();
    expect(out.loop).toEqual({ n: '1', when: '1970-01-01T00:00:00.000Z', self: '[Circular]' });
    expect(out.twice).toEqual([{ a: 1 }, { a: 1 }]);
  });
});

describe('redactionSecretsFromEnv', () => {
  it('picks the MLflow/AWS secret variables and other secret-named ones, skipping short values and flags', () => {
    const secrets = redactionSecretsFromEnv({
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG',
      AWS_SESSION_TOKEN: 'FQoGZXIvYXdzEJr',
      MLFLOW_TRACKING_PASSWORD: 'pw-1234',
      MLFLOW_TRACKING_TOKEN: 'abc', // too short: would redact "abc" everywhere
      GITHUB_TOKEN: 'ghp_0123456789',
      HF_HUB_DISABLE_IMPLICIT_TOKEN: 'true',
      MLFLOW_TRACKING_USERNAME: 'bob-the-user',
      PWD: '/home/bob/project',
      EMPTY_PASSWORD: '',
    });
    expect(secrets.sort()).toEqual(['FQoGZXIvYXdzEJr', 'ghp_0123456789', 'pw-1234', 'wJalrXUtnFEMI/K7MDENG']);
  });
});
