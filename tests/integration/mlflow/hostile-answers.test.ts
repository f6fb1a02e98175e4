import { ErrorCodes, TrackerUnavailableError } from '../../../src/domain/errors';
import { MlflowModelRegistry, MlflowRestClient, MlflowTracker, resolveMlflowSettings, type HttpMethod } from '../../../src/infrastructure/tracking/mlflow';
import { startScriptedServer, type ScriptedServer } from '../../support/mlflow-server/hostile-servers';

const RUN_ID = 'a'.repeat(32);
const EXPERIMENT = { experiment_id: '1', name: 'Default', lifecycle_stage: 'active' };
/** Fast failure settings: a malformed answer must not be retried anyway. */
const settingsFor = (uri: string) => resolveMlflowSettings({ uri, maxRetries: 0, timeoutSeconds: 5 }, {});

/**
 * A server that answers 200 with the right top-level field and nonsense below it (issue 10: `{"run":{}}`
 * ended as a raw TypeError deep in the mapping): every such answer is a TRACKER_UNAVAILABLE error naming
 * the route and the missing field, never a TypeError.
 */
describe('malformed nested answers are typed errors naming the route and the field', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it.each<[HttpMethod, string, unknown, string]>([
    ['GET', 'runs/get', { run: {} }, 'run.info'],
    ['GET', 'runs/get', { run: { info: {} } }, 'run.info.run_id'],
    ['GET', 'runs/get', { run: { info: { run_id: RUN_ID, experiment_id: '1' }, data: { tags: { k: 'v' } } } }, 'run.data.tags (not a list)'],
    ['GET', 'runs/get', { run: { info: { run_id: RUN_ID, experiment_id: '1' }, data: { metrics: [null] } } }, 'run.data.metrics[0] (not an object)'],
    ['POST', 'runs/create', { run: { info: { run_id: RUN_ID } } }, 'run.info.experiment_id'],
    ['POST', 'runs/create', { run: 'created' }, 'run (not an object)'],
    ['GET', 'experiments/get-by-name', { experiment: { name: 'Default' } }, 'experiment.experiment_id'],
    ['GET', 'experiments/get-by-name', { experiment: { ...EXPERIMENT, tags: [{ value: 'v' }] } }, 'experiment.tags[0].key'],
    ['GET', 'registered-models/get', { registered_model: {} }, 'registered_model.name'],
    ['GET', 'registered-models/get', { registered_model: { name: 'm', aliases: [{ version: '1' }] } }, 'registered_model.aliases[0].alias'],
    ['POST', 'model-versions/create', { model_version: { name: 'm' } }, 'model_version.version'],
    ['POST', 'model-versions/create', { model_version: [] }, 'model_version (not an object)'],
  ])('%s %s answering %j: TRACKER_UNAVAILABLE naming "%s"', async (method, route, answer, field) => {
    server = await startScriptedServer({ [`${method} ${route}`]: answer });
    const client = new MlflowRestClient(settingsFor(server.uri));
    const error = await client.request(method, route, method === 'GET' ? {} : { body: {} }).then(() => undefined, (e: unknown) => e);
    client.close();
    expect(error).toBeInstanceOf(TrackerUnavailableError);
    expect((error as TrackerUnavailableError).code).toBe(ErrorCodes.TRACKER_UNAVAILABLE);
    expect((error as Error).message).toContain(`${method} ${route} at ${server.uri}`);
    expect((error as Error).message).toContain(`without "${field}"`);
    expect((error as TrackerUnavailableError).details).toMatchObject({ route, missingField: field, malformed: true });
    expect(server.requests).toEqual([`${method} ${route}`]); // nonsense is not retried
  });

  it('accepts complete answers, with the lists MLflow leaves out when empty', async () => {
    server = await startScriptedServer({
      'GET runs/get': { run: { info: { run_id: RUN_ID, experiment_id: '1' } } },
      'GET registered-models/get': { registered_model: { name: 'm' } },
      'POST model-versions/create': { model_version: { name: 'm', version: '1' } },
      'GET model-versions/search': {},
    });
    const client = new MlflowRestClient(settingsFor(server.uri));
    await expect(client.request('GET', 'runs/get')).resolves.toEqual({ run: { info: { run_id: RUN_ID, experiment_id: '1' } } });
    await expect(client.request('GET', 'registered-models/get')).resolves.toEqual({ registered_model: { name: 'm' } });
    await expect(client.request('POST', 'model-versions/create', { body: {} })).resolves.toEqual({ model_version: { name: 'm', version: '1' } });
    await expect(client.request('GET', 'model-versions/search')).resolves.toEqual({});
    client.close();
  });

  const OK_RUN = { run: { info: { run_id: RUN_ID, experiment_id: '1', artifact_uri: 'mlflow-artifacts:/1/x/artifacts' } } };
  it.each<[string, Record<string, unknown>, (uri: string) => Promise<unknown>, RegExp]>([
    ['tracker.getRun', { 'GET runs/get': { run: { info: {} } } }, (uri) => withTracker(uri, (t) => t.getRun(RUN_ID)), /GET runs\/get .* without "run\.info\.run_id"/],
    ['tracker.createRun', { 'POST runs/create': { run: {} } }, (uri) => withTracker(uri, (t) => t.createRun({ runName: 'x' })), /POST runs\/create .* without "run\.info"/],
    [
      'registry.getRegisteredModel',
      { 'GET registered-models/get': { registered_model: { aliases: 'none' } } },
      (uri) => withRegistry(uri, (r) => r.getRegisteredModel('m')),
      /GET registered-models\/get .* without "registered_model\.name"/,
    ],
    [
      'registry.createModelVersion',
      { 'GET runs/get': OK_RUN, 'POST model-versions/create': { model_version: { name: 'm' } } },
      (uri) => withRegistry(uri, (r) => r.createModelVersion({ name: 'm', source: 'runs:/x/model', runId: RUN_ID })),
      /POST model-versions\/create .* without "model_version\.version"/,
    ],
  ])('through the adapters: %s fails typed, naming route and field, not with a TypeError', async (_what, answers, call, message) => {
    server = await startScriptedServer({ 'GET experiments/get-by-name': { experiment: EXPERIMENT }, ...answers });
    const error = await call(server.uri).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TrackerUnavailableError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toMatch(/TypeError|Cannot read properties/);
  });
});

async function withTracker<T>(uri: string, use: (tracker: MlflowTracker) => Promise<T>): Promise<T> {
  const tracker = new MlflowTracker(settingsFor(uri));
  await tracker.start();
  try {
    return await use(tracker);
  } finally {
    await tracker.stop().catch(() => undefined);
  }
}

async function withRegistry<T>(uri: string, use: (registry: MlflowModelRegistry) => Promise<T>): Promise<T> {
  const registry = new MlflowModelRegistry(settingsFor(uri));
  await registry.start();
  try {
    return await use(registry);
  } finally {
    await registry.stop();
  }
}
