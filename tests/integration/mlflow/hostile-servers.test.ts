import { ErrorCodes, TrackerUnavailableError } from '../../../src/domain/errors';
import { MlflowModelRegistry, MlflowRestClient, MlflowTracker, resolveMlflowSettings } from '../../../src/infrastructure/tracking/mlflow';
import { CapturingLogger } from '../../support/mlflow-server/client-settings';
import { HOSTILE_SHAPES, startHostileServer, type HostileServer } from '../../support/mlflow-server/hostile-servers';

/**
 * A failing server costs seconds (issue 10): with the DEFAULT retry settings (7 retries, backoff 2 s,
 * timeout 120 s: minutes per request), every hostile shape is decided at start() by a short first contact,
 * with a typed error naming the server and never its password. The bound (15 s) is loose for a busy
 * 2-core machine, and a minute-long retry fails it.
 */
describe('start() against a hostile server', () => {
  let server: HostileServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it.each(HOSTILE_SHAPES)('%s: tracker.start() fails typed within seconds; the registry then fails at once', async (shape) => {
    server = await startHostileServer(shape);
    const port = new URL(server.uri).port;
    const settings = resolveMlflowSettings({ uri: `http://alice:s3cret-pw@127.0.0.1:${port}` }, {});
    const logger = new CapturingLogger();
    const tracker = new MlflowTracker(settings, { logger });
    const registry = new MlflowModelRegistry(settings, { logger });

    const began = Date.now();
    const error = await tracker.start().then(() => undefined, (e: unknown) => e);
    const trackerMs = Date.now() - began;
    expect(error).toBeInstanceOf(TrackerUnavailableError);
    expect((error as TrackerUnavailableError).code).toBe(ErrorCodes.TRACKER_UNAVAILABLE);
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    expect((error as Error).message).not.toContain('s3cret-pw');
    expect((error as Error).message).not.toMatch(/TypeError|Cannot read properties/);
    expect(trackerMs).toBeLessThan(15_000);

    // one health per server URI: the registry does not spend a budget of its own
    const registryBegan = Date.now();
    await expect(registry.start()).rejects.toBeInstanceOf(TrackerUnavailableError);
    expect(Date.now() - registryBegan).toBeLessThan(1_000);

    await tracker.stop();
    await registry.stop();
    expect(logger.dump()).not.toContain('s3cret-pw');
  }, 40_000);
});

describe('timeoutSeconds bounds the whole request', () => {
  let server: HostileServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it.each([
    ['slow drip', { dripMs: 200 }],
    ['endless stream', {}],
  ] as const)('%s: each attempt is cut at timeoutSeconds, body included (an idle timeout would wait forever)', async (shape, options) => {
    server = await startHostileServer(shape, options);
    const settings = resolveMlflowSettings({ uri: server.uri, timeoutSeconds: 1, maxRetries: 1, backoffFactor: 0.01, backoffJitter: 0 }, {});
    const client = new MlflowRestClient(settings);
    const began = Date.now();
    const error = await client.request('GET', 'experiments/get-by-name', { query: { experiment_name: 'x' } }).catch((e: unknown) => e);
    const elapsed = Date.now() - began;
    client.close();
    expect(error).toBeInstanceOf(TrackerUnavailableError);
    expect((error as Error).message).toMatch(/did not answer in time \(2 attempts\)/);
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
    expect(elapsed).toBeLessThan(8_000);
  }, 20_000);
});
