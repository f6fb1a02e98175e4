import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, ErrorCodes } from '../../../src/domain/errors';
import type { ITracker } from '../../../src/domain/ports/tracker';
import type { IModelRegistry } from '../../../src/domain/ports/model-registry';
import type { ILogger } from '../../../src/domain/ports/logger';
import type { IAlerter } from '../../../src/domain/ports/alerter';
import { TYPES } from '../../../src/domain/tokens';
import { createContainer, createTestContainer, resolveJob } from '../../../src/infrastructure/container';
import { InMemoryTracker } from '../../../src/infrastructure/tracking/memory';
import { MemoryLogger } from '../../../src/infrastructure/logging';
import { MemoryAlerter } from '../../../src/infrastructure/alerting';

const job = { KIND: 'ExampleJob', metric: 'm', value: 2 };

describe('createContainer: tracker selection by URI', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-container-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  const trackerFor = (uri: string | undefined, env: Record<string, string> = {}) =>
    createContainer({ config: { tracking: uri === undefined ? {} : { uri }, job }, env, cwd: dir }).get<ITracker>(TYPES.Tracker);

  it.each([
    [undefined, 'tracker:local'],
    ['./store', 'tracker:local'],
    ['file:///tmp/x', 'tracker:local'],
    ['memory:', 'tracker:memory'],
    ['noop', 'tracker:noop'],
    ['http://127.0.0.1:5000', 'tracker:mlflow'],
    ['https://mlflow.example.com', 'tracker:mlflow'],
  ])('uri %p → %s', (uri, serviceName) => {
    expect(trackerFor(uri).serviceName).toBe(serviceName);
  });

  it('falls back to MLFLOW_TRACKING_URI from the environment; explicit config wins', () => {
    expect(trackerFor(undefined, { MLFLOW_TRACKING_URI: 'memory:' }).serviceName).toBe('tracker:memory');
    expect(trackerFor('noop', { MLFLOW_TRACKING_URI: 'memory:' }).serviceName).toBe('tracker:noop');
  });

  it('rejects an unknown scheme with a ConfigError naming the key, never silently', () => {
    expect(() => trackerFor('databricks://profile')).toThrow(ConfigError);
    expect(() => trackerFor('databricks://profile')).toThrow(/tracking\.uri: unsupported tracking URI scheme "databricks:"/);
  });

  it('the registry follows MLFLOW_REGISTRY_URI when set', () => {
    const container = createContainer({ config: { tracking: { uri: 'memory:' }, job }, env: { MLFLOW_REGISTRY_URI: 'noop' }, cwd: dir });
    expect(container.get<IModelRegistry>(TYPES.ModelRegistry).serviceName).toBe('registry:noop');
  });
});

describe('profiles', () => {
  it('test: in-memory logger, alerter, tracker and registry', () => {
    const container = createTestContainer({ config: { job } });
    expect(container.get<ILogger>(TYPES.Logger)).toBeInstanceOf(MemoryLogger);
    expect(container.get<IAlerter>(TYPES.Alerter)).toBeInstanceOf(MemoryAlerter);
    expect(container.get<ITracker>(TYPES.Tracker).serviceName).toBe('tracker:memory');
    expect(container.get<IModelRegistry>(TYPES.ModelRegistry).serviceName).toBe('registry:memory');
  });

  it('production: refuses a local store instead of silently writing to the container disk', () => {
    let error: unknown;
    try {
      createContainer({ profile: 'production', config: { job }, env: {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe(ErrorCodes.CONFIG_INVALID);
    expect((error as Error).message).toMatch(/production profile needs an MLflow server URI/);
  });

  it('production: accepts an MLflow server', () => {
    const container = createContainer({ profile: 'production', config: { job }, env: { MLFLOW_TRACKING_URI: 'http://127.0.0.1:1' } });
    expect(container.get<ITracker>(TYPES.Tracker).serviceName).toBe('tracker:mlflow');
  });

  it('singletons: the tracker is one instance per container, jobs are new each time', () => {
    const container = createTestContainer({ config: { job } });
    expect(container.get(TYPES.Tracker)).toBe(container.get(TYPES.Tracker));
    expect(resolveJob(container)).not.toBe(resolveJob(container));
  });
});

describe('overrides are applied before the first resolve', () => {
  it('a job resolved from the container gets the override, and so do singletons built from it', async () => {
    const tracker = new InMemoryTracker({ experimentName: 'override' });
    const logger = new MemoryLogger();
    const container = createTestContainer({ config: { job }, overrides: { [TYPES.Tracker]: tracker, [TYPES.Logger]: logger } });
    const result = await resolveJob(container).execute();
    expect(result).toMatchObject({ metric: 'm', value: 2 });
    expect(tracker.runs()).toHaveLength(1);
    expect(logger.messages()).toContain('[START] tracker:memory');
  });

  it('a singleton that depends on an overridden port is built with the override, never the default', async () => {
    const logger = new MemoryLogger();
    const container = createTestContainer({ config: { job }, overrides: { [TYPES.Logger]: logger } });
    // the tracker is NOT overridden: it is built by the container, and takes the logger as a dependency
    const tracker = container.get<ITracker>(TYPES.Tracker);
    await tracker.start();
    const run = await tracker.createRun({});
    await tracker.logParam(run.runId, 'long', 'x'.repeat(7000)); // truncation warns through the tracker's logger
    await tracker.stop();
    expect(logger.entries.some((e) => e.level === 'warn' && /truncat/i.test(e.message))).toBe(true);
  });

  it('unknown KIND is a ConfigError listing the valid kinds', () => {
    const container = createTestContainer({ config: { job } });
    container.rebindSync(TYPES.Config).toConstantValue({ job: { KIND: 'Nope' } });
    expect(() => resolveJob(container)).toThrow(/unknown job kind "Nope". Valid kinds: .*PromotionJob/);
  });
});
