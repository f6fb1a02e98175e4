import { inspect } from 'node:util';
import { ErrorCodes, UnauthorizedError } from '../../../src/domain/errors';
import { MlflowModelRegistry, MlflowTracker } from '../../../src/infrastructure/tracking/mlflow';
import { CapturingLogger, fastSettings } from '../../support/mlflow-server/client-settings';
import { MlflowTestServer } from '../../support/mlflow-server';

const PASSWORD = 'pa55-W0rd-xyz';
const TOKEN = 'tok-abcdef-123456';
const AWS_SECRET = 'aws-SECRET-987654';
const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const SECRETS = [PASSWORD, TOKEN, AWS_SECRET, Buffer.from(`ana:${PASSWORD}`).toString('base64')];

/** Everything a user could end up seeing of an error: message, details, JSON form, cause chain, inspect(). */
function everythingAbout(error: unknown): string {
  return [String(error), JSON.stringify(error), inspect(error, { depth: 10 }), JSON.stringify((error as { details?: unknown }).details)].join('\n');
}

describe('MLflow authentication and secret hygiene', () => {
  let server: MlflowTestServer;
  beforeEach(async () => {
    server = await MlflowTestServer.start();
  });
  afterEach(async () => {
    await server.stop();
  });

  const startAndStop = async (env: Record<string, string>): Promise<void> => {
    const tracker = new MlflowTracker(fastSettings(server, {}, env));
    await tracker.start();
    await tracker.stop();
  };

  it('sends Basic auth from MLFLOW_TRACKING_USERNAME/PASSWORD', async () => {
    server.auth = { basic: { username: 'ana', password: PASSWORD } };
    await startAndStop({ MLFLOW_TRACKING_USERNAME: 'ana', MLFLOW_TRACKING_PASSWORD: PASSWORD });
    expect(server.requests[0]!.headers.authorization).toBe(basic('ana', PASSWORD));
  });

  it('sends a Bearer token from MLFLOW_TRACKING_TOKEN', async () => {
    server.auth = { bearer: TOKEN };
    await startAndStop({ MLFLOW_TRACKING_TOKEN: TOKEN });
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('prefers Basic when username, password and token are all set', async () => {
    server.auth = { basic: { username: 'ana', password: PASSWORD } };
    await startAndStop({ MLFLOW_TRACKING_USERNAME: 'ana', MLFLOW_TRACKING_PASSWORD: PASSWORD, MLFLOW_TRACKING_TOKEN: TOKEN });
    expect(server.requests.every((r) => r.headers.authorization === basic('ana', PASSWORD))).toBe(true);
  });

  it('sends no Authorization header without credentials', async () => {
    await startAndStop({});
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('authenticates the registry client too', async () => {
    server.auth = { bearer: TOKEN };
    const registry = new MlflowModelRegistry(fastSettings(server, {}, { MLFLOW_TRACKING_TOKEN: TOKEN }));
    await registry.start();
    await registry.createRegisteredModel('m');
    await registry.stop();
    expect(server.requestsTo('registered-models/create')[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('a refused password (plain-text 401) is UnauthorizedError naming the fix, and no secret appears anywhere', async () => {
    server.auth = { basic: { username: 'ana', password: 'the-right-one' } };
    const logger = new CapturingLogger();
    const tracker = new MlflowTracker(
      fastSettings(server, { s3: { secretAccessKey: AWS_SECRET } }, { MLFLOW_TRACKING_USERNAME: 'ana', MLFLOW_TRACKING_PASSWORD: PASSWORD, MLFLOW_TRACKING_TOKEN: TOKEN }),
      { logger },
    );
    const error = await tracker.start().catch((e: unknown) => e);
    await tracker.stop();
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ code: ErrorCodes.UNAUTHORIZED });
    expect((error as Error).message).toMatch(/MLFLOW_TRACKING_USERNAME/);
    const seen = everythingAbout(error) + logger.dump();
    for (const secret of SECRETS) expect(seen).not.toContain(secret);
    expect(seen).not.toMatch(/authorization/i);
  });

  it('errors after retries and the retry log lines carry no secret, even with credentials in the URI', async () => {
    const logger = new CapturingLogger();
    server.failFor(60_000, { status: 503, message: `proxy echoed Authorization: ${basic('ana', PASSWORD)}` });
    const tracker = new MlflowTracker(fastSettings(`http://ana:${PASSWORD}@127.0.0.1:${new URL(server.uri).port}`, { maxRetries: 2 }, { MLFLOW_TRACKING_TOKEN: TOKEN }), { logger });
    const error = await tracker.start().catch((e: unknown) => e);
    await tracker.stop();
    expect(server.requests[0]!.headers.authorization).toBe(basic('ana', PASSWORD)); // the URI's credentials were used
    // a first contact retries once; retries log at debug, and one info line per outage
    expect(logger.lines.filter((l) => /retry \d of 2/.test(l.message))).toHaveLength(1);
    expect(logger.lines.filter((l) => l.level === 'info' && /not answering/.test(l.message))).toHaveLength(1);
    const seen = everythingAbout(error) + logger.dump();
    for (const secret of SECRETS) expect(seen).not.toContain(secret);
    expect(seen).not.toContain(`ana:${PASSWORD}`);
  });

  it('a server that cannot be reached: the message names the URI without user:pass@', async () => {
    const port = new URL(server.uri).port;
    await server.stop();
    const logger = new CapturingLogger();
    const tracker = new MlflowTracker(fastSettings(`http://ana:${PASSWORD}@127.0.0.1:${port}`, { maxRetries: 1 }), { logger });
    const error = await tracker.start().catch((e: unknown) => e);
    await tracker.stop();
    server = await MlflowTestServer.start();
    expect((error as Error).message).toContain(`http://127.0.0.1:${port}`);
    const seen = everythingAbout(error) + logger.dump();
    for (const secret of SECRETS) expect(seen).not.toContain(secret);
  });
});
