import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ErrorCodes, NotFoundError, TrackerUnavailableError } from '../../../src/domain/errors';
import type { DatasetInput } from '../../../src/domain/model/logged-model';
import { createArtifactStore } from '../../../src/infrastructure/tracking/artifacts';
import { parseRunInputs, parseRunOutputs } from '../../../src/infrastructure/tracking/mlflow/logged-model-mapping';
import { LOGGED_MODEL_PARAMS_PER_REQUEST, MlflowLoggedModelStore } from '../../../src/infrastructure/tracking/mlflow/mlflow-logged-model-store';
import { MlflowRestClient } from '../../../src/infrastructure/tracking/mlflow/rest-client';
import type { MlflowSettings } from '../../../src/infrastructure/tracking/mlflow/mlflow-settings';
import { fastSettings } from '../../support/mlflow-server/client-settings';
import { MlflowTestServer } from '../../support/mlflow-server';

/**
 * MLflow 3's logged models, run outputs and dataset inputs through MlflowLoggedModelStore and the REST
 * client, against the loopback server in its 3.x mode (logged-models API) and its 2.x mode (no such
 * API: the store says so after one request per server; runs/log-inputs still works).
 */
const dataset = (name: string, digest: string): DatasetInput['dataset'] => ({
  name,
  digest,
  sourceType: 'local',
  source: JSON.stringify({ uri: `file:///data/${name}.csv` }),
  schema: JSON.stringify({ mlflow_colspec: [{ name: 'temp', type: 'double' }] }),
  profile: JSON.stringify({ num_rows: 3 }),
});

let server: MlflowTestServer;
let settings: MlflowSettings;
let client: MlflowRestClient;
let store: MlflowLoggedModelStore;
let work: string;

async function startServer(version: 2 | 3): Promise<void> {
  server = await MlflowTestServer.start({ flavour: { version } });
  settings = fastSettings(server);
  client = new MlflowRestClient(settings);
  store = new MlflowLoggedModelStore(client);
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'logged-models-'));
}

afterEach(async () => {
  client.close();
  await server.stop();
  await fs.rm(work, { recursive: true, force: true });
});

async function newRun(): Promise<{ experimentId: string; runId: string }> {
  const { experiment_id: experimentId } = await client.request<{ experiment_id: string }>('POST', 'experiments/create', { body: { name: `exp-${Date.now()}` } });
  const { run } = await client.request<{ run: { info: { run_id: string } } }>('POST', 'runs/create', { body: { experiment_id: experimentId, start_time: Date.now() } });
  return { experimentId, runId: run.info.run_id };
}

async function getRunJson(runId: string): Promise<{ inputs?: unknown; outputs?: unknown }> {
  return (await client.request<{ run: { inputs?: unknown; outputs?: unknown } }>('GET', 'runs/get', { query: { run_id: runId } })).run;
}

describe('MlflowLoggedModelStore against an MLflow 3.x server', () => {
  beforeEach(() => startServer(3));

  it('create → upload to the model\'s artifact location → finalize → get READY, on the wire as MLflow\'s client sends it', async () => {
    const { experimentId, runId } = await newRun();
    expect(await store.supported()).toBe(true);
    const pending = await store.create({ experimentId, name: 'model', sourceRunId: runId, modelType: 'regressor', params: { alpha: '0.1' }, tags: { team: 'bikes' } });
    expect(pending).toMatchObject({ name: 'model', experimentId, sourceRunId: runId, status: 'PENDING', modelType: 'regressor', params: { alpha: '0.1' }, tags: { team: 'bikes' } });
    expect(pending.modelId).toMatch(/^m-[0-9a-f]{32}$/);
    expect(pending.modelUri).toBe(`models:/${pending.modelId}`);
    expect(pending.artifactUri).toBe(`mlflow-artifacts:/${experimentId}/models/${pending.modelId}/artifacts`);
    expect(server.requestsTo('logged-models', 'POST')[0]!.body).toEqual({
      experiment_id: experimentId, name: 'model', model_type: 'regressor', source_run_id: runId,
      params: [{ key: 'alpha', value: '0.1' }], tags: [{ key: 'team', value: 'bikes' }],
    });

    const modelDir = path.join(work, 'model');
    await fs.mkdir(modelDir);
    await fs.writeFile(path.join(modelDir, 'MLmodel'), 'artifact_path: model\n');
    await fs.writeFile(path.join(modelDir, 'model.json'), '{"w":[1,2]}');
    const files = createArtifactStore(pending.artifactUri, { trackingUri: client.baseUri, http: client.http });
    await files.upload(modelDir);
    expect(server.requests.filter((r) => r.method === 'PUT').map((r) => r.path).sort()).toEqual([
      `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/models/${pending.modelId}/artifacts/MLmodel`,
      `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/models/${pending.modelId}/artifacts/model.json`,
    ]);

    const ready = await store.finalize(pending.modelId!, 'READY');
    expect(ready.status).toBe('READY');
    expect(server.requestsTo(`logged-models/${pending.modelId}`, 'PATCH')[0]!.body).toEqual({ model_id: pending.modelId, status: 'LOGGED_MODEL_READY' });
    const got = await store.get(pending.modelId!);
    expect(got).toEqual({ ...pending, status: 'READY', lastUpdatedTimestamp: got.lastUpdatedTimestamp });
    expect((await files.list()).map((f) => f.path)).toEqual(['MLmodel', 'model.json']);
    const back = await files.download('MLmodel', path.join(work, 'back'));
    expect(await fs.readFile(back, 'utf8')).toBe('artifact_path: model\n');
  });

  it('a failed upload is finalized as LOGGED_MODEL_UPLOAD_FAILED', async () => {
    const { experimentId } = await newRun();
    const pending = await store.create({ experimentId, name: 'model', params: {}, tags: {} });
    expect((await store.finalize(pending.modelId!, 'FAILED')).status).toBe('FAILED');
    expect(server.requestsTo(`logged-models/${pending.modelId}`, 'PATCH')[0]!.body).toMatchObject({ status: 'LOGGED_MODEL_UPLOAD_FAILED' });
    expect(server.requestsTo('logged-models', 'POST')[0]!.body).toEqual({ experiment_id: experimentId, name: 'model' });
  });

  it(`sends the first ${LOGGED_MODEL_PARAMS_PER_REQUEST} params with the create and the rest in batches to logged-models/<id>/params`, async () => {
    const { experimentId } = await newRun();
    const params = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`p${i}`, String(i)]));
    const model = await store.create({ experimentId, name: 'wide', params, tags: {} });
    expect(model.params).toEqual(params);
    expect((server.requestsTo('logged-models', 'POST')[0]!.body as { params: unknown[] }).params).toHaveLength(100);
    expect(server.requestsTo(`logged-models/${model.modelId}/params`, 'POST').map((r) => (r.body as { params: unknown[] }).params.length)).toEqual([100, 50]);
  });

  it('records the model as an output of its run: runs/get answers outputs.model_outputs', async () => {
    const { experimentId, runId } = await newRun();
    expect(parseRunOutputs((await getRunJson(runId)).outputs)).toEqual({ modelOutputs: [] });
    const model = await store.create({ experimentId, name: 'model', sourceRunId: runId, params: {}, tags: {} });
    await store.logOutputs(runId, [{ modelId: model.modelId!, step: 3 }]);
    expect(server.requestsTo('runs/outputs')[0]!.body).toEqual({ run_id: runId, models: [{ model_id: model.modelId, step: 3 }] });
    expect(parseRunOutputs((await getRunJson(runId)).outputs)).toEqual({ modelOutputs: [{ modelId: model.modelId, step: 3 }] });
    await store.logOutputs(runId, []);
    expect(server.requestsTo('runs/outputs')).toHaveLength(1);
  });

  it('logs dataset inputs once per name + digest (within a call and across calls); runs/get answers them', async () => {
    const { runId } = await newRun();
    const bikes = dataset('bikes', 'a1b2c3d4');
    await store.logInputs(runId, [
      { dataset: bikes, tags: { 'mlflow.data.context': 'training' } },
      { dataset: bikes, tags: { 'mlflow.data.context': 'evaluation' } },
      { dataset: dataset('bikes', 'ffff0000'), tags: {} },
    ]);
    const sent = server.requestsTo('runs/log-inputs')[0]!.body as { datasets: unknown[] };
    expect(sent.datasets).toEqual([
      {
        tags: [{ key: 'mlflow.data.context', value: 'training' }],
        dataset: { name: 'bikes', digest: 'a1b2c3d4', source_type: 'local', source: bikes.source, schema: bikes.schema, profile: bikes.profile },
      },
      { dataset: expect.objectContaining({ name: 'bikes', digest: 'ffff0000' }) },
    ]);
    await store.logInputs(runId, [{ dataset: bikes, tags: { 'mlflow.data.context': 'inference' } }]);
    const inputs = parseRunInputs((await getRunJson(runId)).inputs);
    expect(inputs).toEqual({
      datasetInputs: [
        { dataset: bikes, tags: { 'mlflow.data.context': 'training' } },
        { dataset: dataset('bikes', 'ffff0000'), tags: {} },
      ],
    });
  });

  it('registers a version from the logged model: source models:/m-<id> with model_id, and the model learns its versions', async () => {
    const { experimentId, runId } = await newRun();
    const model = await store.create({ experimentId, name: 'model', sourceRunId: runId, params: {}, tags: {} });
    await store.finalize(model.modelId!, 'READY');
    await client.request('POST', 'registered-models/create', { body: { name: 'bike-demand' } });
    const { model_version: version } = await client.request<{ model_version: Record<string, unknown> }>('POST', 'model-versions/create', {
      body: { name: 'bike-demand', source: model.modelUri, run_id: runId, model_id: model.modelId },
    });
    expect(version).toMatchObject({ version: '1', source: `models:/${model.modelId}`, run_id: runId, model_id: model.modelId });
    expect((await store.get(model.modelId!)).tags['mlflow.modelVersions']).toBe('[{"name": "bike-demand", "version": 1}]');
    const unknown = await client
      .request('POST', 'model-versions/create', { body: { name: 'bike-demand', source: 'models:/m-0', model_id: 'm-0' } })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(NotFoundError);
  });

  it('logged-models/search (the probe\'s route) finds an experiment\'s models, filtered by attributes, params and tags', async () => {
    const { experimentId, runId } = await newRun();
    const a = await store.create({ experimentId, name: 'a', sourceRunId: runId, params: { alpha: '0.1' }, tags: {} });
    await store.create({ experimentId, name: 'b', params: { alpha: '0.2' }, tags: { team: 'x' } });
    const search = async (filter?: string): Promise<string[]> =>
      ((await client.request<{ models?: { info: { name: string } }[] }>('POST', 'logged-models/search', { body: { experiment_ids: [experimentId], filter } })).models ?? []).map((m) => m.info.name).sort();
    expect(await search()).toEqual(['a', 'b']);
    expect(await search(`source_run_id = '${runId}'`)).toEqual(['a']);
    expect(await search("params.alpha = '0.2'")).toEqual(['b']);
    expect(await search("tags.team = 'x' AND name = 'b'")).toEqual(['b']);
    expect(await search(`model_id = '${a.modelId}'`)).toEqual(['a']);
  });

  it('a model that does not exist is NotFoundError MODEL_NOT_FOUND, for get and finalize', async () => {
    for (const attempt of [() => store.get('m-00000000000000000000000000000000'), () => store.finalize('m-00000000000000000000000000000000', 'READY')]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ code: ErrorCodes.MODEL_NOT_FOUND });
      expect((error as Error).message).toContain("Logged model with ID 'm-00000000000000000000000000000000' not found");
    }
    const noRun = await store.logOutputs('0'.repeat(32), [{ modelId: 'm-1', step: 0 }]).catch((e: unknown) => e);
    expect(noRun).toMatchObject({ code: ErrorCodes.RUN_NOT_FOUND });
    const noExperiment = await store.create({ experimentId: '999', name: 'model', params: {}, tags: {} }).catch((e: unknown) => e);
    expect(noExperiment).toMatchObject({ code: ErrorCodes.EXPERIMENT_NOT_FOUND });
  });

  it('asks whether logged models exist once per server URI, shared by every client of it', async () => {
    const other = new MlflowRestClient(settings);
    const second = new MlflowLoggedModelStore(other);
    expect(await Promise.all([store.supported(), second.supported(), store.supported()])).toEqual([true, true, true]);
    expect(await second.supported()).toBe(true);
    expect(server.requestsTo('logged-models/search')).toHaveLength(1);
    other.close();
  });

  it('a server that cannot say right now is TRACKER_UNAVAILABLE, and asked again on the next call (no answer is remembered)', async () => {
    const own = new MlflowRestClient(fastSettings(server), { circuitCooldownMs: 0 });
    const models = new MlflowLoggedModelStore(own);
    server.failNext(4, { status: 503, match: 'logged-models/search' });
    const error = await models.supported().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrackerUnavailableError);
    expect((error as Error).message).toContain('Cannot tell whether the MLflow server');
    expect(await models.supported()).toBe(true);
    expect(server.requestsTo('logged-models/search')).toHaveLength(5);
    own.close();
  });

  it('malformed answers are TrackerUnavailableErrors naming the route and the field, never a TypeError', async () => {
    const { experimentId, runId } = await newRun();
    const model = await store.create({ experimentId, name: 'model', params: {}, tags: {} });
    const route = `logged-models/${model.modelId}`;
    const cases: [unknown, string][] = [
      [{ model: {} }, 'model.info'],
      [{ model: { info: { experiment_id: experimentId, name: 'm', artifact_uri: 'x' } } }, 'model.info.model_id'],
      [{ model: { info: { model_id: 'm-1', experiment_id: experimentId, name: 'm', artifact_uri: 'x', status: 'SHINY' } } }, 'model.info.status'],
      [{ model: { info: { model_id: 'm-1', experiment_id: experimentId, name: 'm', artifact_uri: 'x', tags: {} } } }, 'model.info.tags'],
      [{ model: { info: { model_id: 'm-1', experiment_id: experimentId, name: 'm', artifact_uri: 'x' }, data: { params: [{ value: '1' }] } } }, 'model.data.params[0].key'],
    ];
    for (const [body, field] of cases) {
      server.answerNext(1, body, route);
      const error = await store.get(model.modelId!).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TrackerUnavailableError);
      expect(error).toMatchObject({ code: ErrorCodes.TRACKER_UNAVAILABLE, details: { route, field, malformed: true } });
      expect((error as Error).message).toContain(`MLflow ${route} answered a malformed message: ${field} should be`);
    }
    server.answerNext(1, { run: { info: { run_id: runId, experiment_id: experimentId }, inputs: { dataset_inputs: [{ dataset: { name: 'b', source_type: 'local', source: '{}' } }] }, outputs: { model_outputs: {} } } }, 'runs/get');
    const run = await getRunJson(runId);
    expect(() => parseRunInputs(run.inputs)).toThrow(expect.objectContaining({ details: { route: 'runs/get', field: 'run.inputs.dataset_inputs[0].dataset.digest', malformed: true } }));
    expect(() => parseRunOutputs(run.outputs)).toThrow(expect.objectContaining({ details: { route: 'runs/get', field: 'run.outputs.model_outputs', malformed: true } }));
    expect(() => parseRunInputs('nope')).toThrow(TrackerUnavailableError);
  });
});

describe('MlflowLoggedModelStore against an MLflow 2.x server', () => {
  beforeEach(() => startServer(2));

  it('supported() is false after ONE probe request (the 404 page), for every client of the server', async () => {
    const other = new MlflowRestClient(settings);
    const second = new MlflowLoggedModelStore(other);
    expect(await store.supported()).toBe(false);
    expect(await second.supported()).toBe(false);
    expect(await store.supported()).toBe(false);
    expect(server.requests.map((r) => `${r.method} ${r.route}`)).toEqual(['POST logged-models/search']);
    other.close();
  });

  it('the logged-models and runs/outputs routes answer the 404 HTML page; the store says the route is missing, not the model', async () => {
    const { experimentId, runId } = await newRun();
    const created = await store.create({ experimentId, name: 'model', params: {}, tags: {} }).catch((e: unknown) => e);
    expect(created).toBeInstanceOf(NotFoundError);
    expect(created).toMatchObject({ code: ErrorCodes.NOT_FOUND });
    expect((created as Error).message).toContain('the server has no such route');
    for (const attempt of [() => store.get('m-1'), () => store.finalize('m-1', 'READY'), () => store.logOutputs(runId, [{ modelId: 'm-1', step: 0 }])]) {
      expect(await attempt().catch((e: unknown) => e)).toMatchObject({ code: ErrorCodes.NOT_FOUND });
    }
  });

  it('runs/log-inputs works; runs/get has inputs.dataset_inputs and no outputs', async () => {
    const { runId } = await newRun();
    expect(parseRunInputs((await getRunJson(runId)).inputs)).toEqual({ datasetInputs: [] });
    await store.logInputs(runId, [{ dataset: dataset('bikes', 'a1b2c3d4'), tags: { 'mlflow.data.context': 'training' } }]);
    const run = await getRunJson(runId);
    expect(parseRunInputs(run.inputs)).toEqual({ datasetInputs: [{ dataset: dataset('bikes', 'a1b2c3d4'), tags: { 'mlflow.data.context': 'training' } }] });
    expect(run.outputs).toBeUndefined();
    expect(parseRunOutputs(run.outputs)).toBeUndefined();
  });

  it('model-versions/create ignores model_id (a field 2.x does not know) and takes a runs:/ source', async () => {
    const { runId } = await newRun();
    await client.request('POST', 'registered-models/create', { body: { name: 'bike-demand' } });
    const { model_version: version } = await client.request<{ model_version: Record<string, unknown> }>('POST', 'model-versions/create', {
      body: { name: 'bike-demand', source: `runs:/${runId}/model`, run_id: runId, model_id: 'm-0' },
    });
    expect(version).toMatchObject({ version: '1', source: `runs:/${runId}/model` });
    expect(version.model_id).toBeUndefined();
  });
});
