import { maskSecrets, maskUri, parseAppConfig } from '../../../src/infrastructure/config';

describe('maskSecrets (--print-config)', () => {
  const secrets = ['hunter2-password', 'bearer-token-value', 'AKIAEXAMPLEKEYID', 'aws/secret+access', 'session-token-xyz', 'url-pass-word'];
  const config = parseAppConfig({
    tracking: {
      uri: `https://alice:${secrets[5]}@mlflow.example.com/api?access_token=${secrets[1]}&page=2`,
      username: 'alice',
      password: secrets[0],
      token: secrets[1],
      s3: { endpointUrl: 'http://127.0.0.1:9000', accessKeyId: secrets[2], secretAccessKey: secrets[3], sessionToken: secrets[4], region: 'eu-west-1' },
    },
    job: { KIND: 'ExperimentJob', name: 'x', base: { credentials: { apiKey: secrets[0] } }, grid: { lr: [0.1] } },
  });

  it('never lets a secret value through, anywhere in the output', () => {
    const printed = JSON.stringify(maskSecrets(config));
    for (const secret of secrets) expect(printed).not.toContain(secret);
  });

  it('keeps non-secret values and shows which secrets are set', () => {
    const masked = maskSecrets(config);
    expect(masked.tracking).toMatchObject({
      uri: 'https://alice:***@mlflow.example.com/api?access_token=***&page=2',
      username: 'alice',
      password: '***',
      token: '***',
      s3: { endpointUrl: 'http://127.0.0.1:9000', accessKeyId: '***', secretAccessKey: '***', sessionToken: '***', region: 'eu-west-1' },
    });
    expect(masked.logging).toEqual(config.logging);
    expect(masked.tracking.registryUri).toBeUndefined();
  });

  it('returns a copy and leaves the config itself untouched', () => {
    const before = JSON.stringify(config);
    maskSecrets(config);
    expect(JSON.stringify(config)).toBe(before);
    expect(config.tracking.password).toBe(secrets[0]);
  });

  it('masks a password containing "@" in a URI completely', () => {
    expect(maskUri('postgresql://u:p@ss@db:5432/x')).toBe('postgresql://u:***@db:5432/x');
    expect(maskUri('https://host/path?page=1')).toBe('https://host/path?page=1');
  });
});
