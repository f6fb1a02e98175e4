import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCodes, NotFoundError, ValidationError } from '../../../src/domain/errors';
import { MlflowModelRegistry, MlflowTracker } from '../../../src/infrastructure/tracking/mlflow';
import { fastSettings } from '../../support/mlflow-server/client-settings';
import { MlflowTestServer } from '../../support/mlflow-server';

describe('MlflowModelRegistry against a loopback MLflow server', () => {
  let server: MlflowTestServer;
  let registry: MlflowModelRegistry;
  let tracker: MlflowTracker;
  let runId: string;

  beforeEach(async () => {
    server = await MlflowTestServer.start();
    registry = new MlflowModelRegistry(fastSettings(server));
    tracker = new MlflowTracker(fastSettings(server));
    await registry.start();
    await tracker.start();
    runId = (await tracker.createRun()).runId;
    server.requests.length = 0;
  });
  afterEach(async () => {
    await registry.stop();
    await tracker.stop();
    await server.stop();
  });

  const failure = (call: () => Promise<unknown>): Promise<unknown> => Promise.resolve().then(call).then(() => undefined, (e: unknown) => e);

  it('talks to MLFLOW_REGISTRY_URI when it differs from the tracking URI', async () => {
    const other = await MlflowTestServer.start();
    const split = new MlflowModelRegistry(fastSettings(server, {}, { MLFLOW_REGISTRY_URI: other.uri }));
    try {
      await split.start();
      await split.createRegisteredModel('elsewhere');
      expect(other.store.models.has('elsewhere')).toBe(true);
      expect(server.store.models.has('elsewhere')).toBe(false);
    } finally {
      await split.stop();
      await other.stop();
    }
  });

  it('createRegisteredModel is idempotent: a 400 RESOURCE_ALREADY_EXISTS returns the existing model', async () => {
    const first = await registry.createRegisteredModel('churn', { description: 'd', tags: { team: 'risk' } });
    const again = await registry.createRegisteredModel('churn');
    expect(again).toEqual(first);
    expect(server.requests.map((r) => `${r.method} ${r.route}`)).toEqual([
      'POST registered-models/create',
      'POST registered-models/create',
      'GET registered-models/get',
    ]);
  });

  it('sends the version as a string and returns it as a number', async () => {
    await registry.createRegisteredModel('churn');
    const v = await registry.createModelVersion({ name: 'churn', source: `runs:/${runId}/model`, runId, tags: { stage: 'x' } });
    expect(v).toMatchObject({ name: 'churn', version: 1, runId, status: 'READY', tags: { stage: 'x' }, aliases: [] });
    await registry.getModelVersion('churn', 1);
    expect(server.requestsTo('model-versions/get')[0]!.query.get('version')).toBe('1');
  });

  it('searchModelVersions uses GET with repeated order_by keys, and results carry no aliases', async () => {
    await registry.createRegisteredModel('churn');
    for (let i = 0; i < 3; i++) await registry.createModelVersion({ name: 'churn', source: `runs:/${runId}/model`, runId });
    await registry.setAlias('churn', 'Champion', 2);
    const page = await registry.searchModelVersions({ filter: "name='churn'", orderBy: ['version_number DESC', 'name ASC'], maxResults: 2 });
    expect(page.items.map((v) => v.version)).toEqual([3, 2]);
    expect(page.items.every((v) => v.aliases.length === 0)).toBe(true);
    const request = server.requestsTo('model-versions/search')[0]!;
    expect(request.method).toBe('GET');
    expect(request.rawQuery).toContain('order_by=version_number+DESC&order_by=name+ASC');
    expect(request.query.get('max_results')).toBe('2');
  });

  it('getLatestVersion asks for version_number DESC, max_results=1, then gets the version for its aliases', async () => {
    await registry.createRegisteredModel('churn');
    for (let i = 0; i < 3; i++) await registry.createModelVersion({ name: 'churn', source: `runs:/${runId}/model`, runId });
    await registry.setAlias('churn', 'Champion', 3);
    server.requests.length = 0;
    const latest = await registry.getLatestVersion('churn');
    expect(latest).toMatchObject({ version: 3, aliases: ['Champion'] });
    const search = server.requestsTo('model-versions/search')[0]!;
    expect(search.query.get('filter')).toBe("name='churn'");
    expect(search.query.getAll('order_by')).toEqual(['version_number DESC']);
    expect(search.query.get('max_results')).toBe('1');
    expect(await registry.getLatestVersion("o'brien")).toBeUndefined();
    expect(server.requestsTo('model-versions/search')[1]!.query.get('filter')).toBe('name="o\'brien"');
  });

  it('maps a missing alias (MLflow: 400 INVALID_PARAMETER_VALUE) to NotFoundError MODEL_ALIAS_NOT_FOUND', async () => {
    await registry.createRegisteredModel('churn');
    const error = await failure(() => registry.getVersionByAlias('churn', 'Champion'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: ErrorCodes.MODEL_ALIAS_NOT_FOUND });
    expect((error as Error).message).toMatch(/no alias "Champion"/);
    expect(await failure(() => registry.getVersionByAlias('nope', 'Champion'))).toMatchObject({ code: ErrorCodes.MODEL_NOT_FOUND });
  });

  it('deleteAlias sends DELETE with a JSON body', async () => {
    await registry.createRegisteredModel('churn');
    await registry.createModelVersion({ name: 'churn', source: `runs:/${runId}/model`, runId });
    await registry.setAlias('churn', 'Champion', 1);
    await registry.deleteAlias('churn', 'Champion');
    const del = server.requestsTo('registered-models/alias', 'DELETE')[0]!;
    expect(del.body).toEqual({ name: 'churn', alias: 'Champion' });
    expect(del.headers['content-type']).toBe('application/json');
    expect(server.store.models.get('churn')!.aliases.size).toBe(0);
  });

  it('checks names, aliases and versions before any request', async () => {
    const calls: [() => Promise<unknown>, string][] = [
      [() => registry.createRegisteredModel('a/b'), ErrorCodes.INVALID_MODEL_NAME],
      [() => registry.getLatestVersion('a:b'), ErrorCodes.INVALID_MODEL_NAME],
      [() => registry.setAlias('m', 'latest', 1), ErrorCodes.INVALID_ALIAS],
      [() => registry.getVersionByAlias('m', 'v2'), ErrorCodes.INVALID_ALIAS],
      [() => registry.deleteAlias('m', 'no spaces'), ErrorCodes.INVALID_ALIAS],
      [() => registry.getModelVersion('m', 0), ErrorCodes.VALIDATION],
      [() => registry.searchModelVersions({ maxResults: 0 }), ErrorCodes.VALIDATION],
    ];
    for (const [call, code] of calls) {
      const error = await failure(call);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ code });
    }
    expect(server.requests).toHaveLength(0);
  });

  describe('local model sources', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'mlflow-source-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('refuses a local path without a run, or a run whose artifacts are not local, before calling create', async () => {
      await registry.createRegisteredModel('churn');
      const noRun = await failure(() => registry.createModelVersion({ name: 'churn', source: '/tmp/model' }));
      expect(noRun).toBeInstanceOf(ValidationError);
      expect((noRun as Error).message).toMatch(/runs:\/<run_id>\/model/);
      const remoteRun = await failure(() => registry.createModelVersion({ name: 'churn', source: '/tmp/model', runId }));
      expect((remoteRun as Error).message).toMatch(/mlflow-artifacts:/);
      expect(server.requestsTo('model-versions/create')).toHaveLength(0);
    });

    it('accepts a local path inside the run\'s file:// artifact directory, refuses one outside it', async () => {
      const fileServer = await MlflowTestServer.start({ artifactRoot: pathToFileURL(dir).href });
      const reg = new MlflowModelRegistry(fastSettings(fileServer));
      const trk = new MlflowTracker(fastSettings(fileServer));
      try {
        const run = await trk.createRun();
        await reg.createRegisteredModel('m');
        const inside = path.join(new URL(run.artifactUri).pathname, 'model');
        expect((await reg.createModelVersion({ name: 'm', source: inside, runId: run.runId })).source).toBe(inside);
        const outside = await failure(() => reg.createModelVersion({ name: 'm', source: path.join(dir, 'elsewhere'), runId: run.runId }));
        expect(outside).toBeInstanceOf(ValidationError);
        expect((outside as Error).message).toMatch(/not inside the artifact directory/);
      } finally {
        await reg.stop();
        await trk.stop();
        await fileServer.stop();
      }
    });
  });
});
