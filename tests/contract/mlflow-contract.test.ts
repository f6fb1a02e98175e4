/**
 * The MLflow adapters against MLflow's wire contract. By default the target is the loopback fake
 * (tests/support/mlflow-server), once answering like MLflow 3.x and once like 2.x; with MLFLOW_CONTRACT_URI=http://host:5000 the very same tests run against
 * a real MLflow server (credentials from the usual MLFLOW_TRACKING_* variables), which is how the fake is
 * kept honest. Every experiment and model gets a unique name, so a shared server is fine.
 *
 *   MLFLOW_CONTRACT_URI=http://127.0.0.1:5000 npx jest tests/contract/mlflow-contract.test.ts
 */
import { ConflictError, ErrorCodes, NotFoundError, RemoteError, ValidationError } from '../../src/domain/errors';
import {
  MlflowModelRegistry,
  MlflowRestClient,
  MlflowTracker,
  resolveMlflowSettings,
  type MlflowSettings,
} from '../../src/infrastructure/tracking/mlflow';
import { fromWireNumber } from '../../src/infrastructure/tracking/mlflow/wire-json';
import { MlflowTestServer } from '../support/mlflow-server';
import { describeRegistryBehaviour } from './registry-behaviour';
import { describeTrackerBehaviour, uniqueName } from './tracker-behaviour';

const REAL_URI = process.env.MLFLOW_CONTRACT_URI;
/** The loopback server in both generations; a real server once, as whatever it is. */
const GENERATIONS: (2 | 3 | undefined)[] = REAL_URI ? [undefined] : [3, 2];

interface Target {
  settings(experimentName?: string): MlflowSettings;
  stop(): Promise<void>;
}

async function openTarget(version: 2 | 3 | undefined): Promise<Target> {
  if (REAL_URI) {
    return {
      settings: (experimentName) => resolveMlflowSettings({ uri: REAL_URI, experimentName, maxRetries: 3, backoffFactor: 0.2, timeoutSeconds: 30 }, process.env),
      stop: async () => undefined,
    };
  }
  const server = await MlflowTestServer.start({ flavour: { version: version ?? 3, sqlStore: true } });
  return {
    settings: (experimentName) => resolveMlflowSettings({ uri: server.uri, experimentName, maxRetries: 2, backoffFactor: 0.01, backoffJitter: 0 }, {}),
    stop: () => server.stop(),
  };
}

for (const version of GENERATIONS) {
  const TARGET = REAL_URI ? `MLflow at ${REAL_URI}` : `loopback MLflow ${version}.x`;

  describeTrackerBehaviour(`MlflowTracker (${TARGET})`, async () => {
    const target = await openTarget(version);
    const experimentName = uniqueName('behaviour');
    const opened: MlflowTracker[] = [];
    const open = async (): Promise<MlflowTracker> => {
      const tracker = new MlflowTracker(target.settings(experimentName));
      opened.push(tracker);
      await tracker.start();
      return tracker;
    };
    const tracker = await open();
    return {
      tracker,
      reopen: open,
      cleanup: async () => {
        for (const t of opened) await t.stop().catch(() => undefined);
        await target.stop();
      },
    };
  }, { clampsInfinity: true, tagLimit: version === 2 ? 5000 : 8000 });

  describeRegistryBehaviour(`MlflowModelRegistry (${TARGET})`, async () => {
    const target = await openTarget(version);
    const tracker = new MlflowTracker(target.settings(uniqueName('registry')));
    const registry = new MlflowModelRegistry(target.settings());
    await tracker.start();
    await registry.start();
    return {
      tracker,
      registry,
      cleanup: async () => {
        await registry.stop();
        await tracker.stop();
        await target.stop();
      },
    };
  });

  describe(`MLflow wire facts (${TARGET})`, () => {
    let target: Target;
    let client: MlflowRestClient;
    let experimentId: string;
    beforeAll(async () => {
      target = await openTarget(version);
      client = new MlflowRestClient(target.settings());
      ({ experiment_id: experimentId } = await client.request<{ experiment_id: string }>('POST', 'experiments/create', { body: { name: uniqueName('wire') } }));
    });
    afterAll(async () => {
      client.close();
      await target.stop();
    });

    type Failure = { code: string; details: Record<string, unknown> } & Error;
    const failure = (call: Promise<unknown>): Promise<Failure> =>
      call.then(
        () => {
          throw new Error('expected a failure');
        },
        (e: unknown) => e as Failure,
      );
    const newRun = async (): Promise<string> =>
      (await client.request<{ run: { info: { run_id: string } } }>('POST', 'runs/create', { body: { experiment_id: experimentId, start_time: Date.now() } })).run.info.run_id;
    const newModel = async (versions: number): Promise<string> => {
      const name = uniqueName('wire-model');
      await client.request('POST', 'registered-models/create', { body: { name } });
      for (let i = 0; i < versions; i++) await client.request('POST', 'model-versions/create', { body: { name, source: 's3://bucket/model' } });
      return name;
    };

    it('answers a duplicate experiment or model with 400 RESOURCE_ALREADY_EXISTS (not 409)', async () => {
      const name = uniqueName('dup');
      await client.request('POST', 'experiments/create', { body: { name } });
      const exp = await failure(client.request('POST', 'experiments/create', { body: { name } }));
      expect(exp).toBeInstanceOf(ConflictError);
      expect(exp.details).toMatchObject({ status: 400, errorCode: 'RESOURCE_ALREADY_EXISTS' });
      const model = await newModel(0);
      expect((await failure(client.request('POST', 'registered-models/create', { body: { name: model } }))).details).toMatchObject({ status: 400, errorCode: 'RESOURCE_ALREADY_EXISTS' });
    });

    it('answers an unknown experiment name with 404 RESOURCE_DOES_NOT_EXIST', async () => {
      const error = await failure(client.request('GET', 'experiments/get-by-name', { query: { experiment_name: uniqueName('none') } }));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.details).toMatchObject({ status: 404, errorCode: 'RESOURCE_DOES_NOT_EXIST' });
    });

    it('omits empty repeated fields and sends enums as names', async () => {
      const runId = await newRun();
      const { run } = await client.request<{ run: { info: { status: string }; data: Record<string, unknown> } }>('GET', 'runs/get', { query: { run_id: runId } });
      expect(run.info.status).toBe('RUNNING');
      expect(run.data.metrics).toBeUndefined();
      expect(run.data.params).toBeUndefined();
    });

    it('stores NaN and ±Infinity sent as strings; a SQL store answers ±Infinity as ±1.7976931348623157e308', async () => {
      const runId = await newRun();
      const metrics = [NaN, Infinity, -Infinity].map((value, step) => ({ key: 'odd', value, timestamp: 1, step }));
      await client.request('POST', 'runs/log-batch', { body: { run_id: runId, metrics } });
      const { metrics: history } = await client.request<{ metrics: { value: unknown }[] }>('GET', 'metrics/get-history', { query: { run_id: runId, metric_key: 'odd', max_results: 100 } });
      const values = history.map((m) => fromWireNumber(m.value));
      expect(values[0]).toBeNaN();
      expect([Infinity, 1.7976931348623157e308]).toContain(values[1]);
      expect([-Infinity, -1.7976931348623157e308]).toContain(values[2]);
    });

    it('keeps params write-once: the same value again is fine, another is 400 INVALID_PARAMETER_VALUE (a ValidationError by error_code)', async () => {
      const runId = await newRun();
      const log = (value: string): Promise<unknown> => client.request('POST', 'runs/log-batch', { body: { run_id: runId, params: [{ key: 'p', value }] } });
      await log('a');
      await log('a');
      const error = await failure(log('b'));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.details).toMatchObject({ status: 400, errorCode: 'INVALID_PARAMETER_VALUE' });
    });

    it('requires Content-Type: application/json on POST', async () => {
      const status = await client.http
        .post('api/2.0/mlflow/experiments/create', JSON.stringify({ name: uniqueName('ct') }), { headers: { 'Content-Type': 'text/plain' } })
        .then((r) => r.status, (e: { response?: { status: number } }) => e.response?.status);
      expect(status).toBe(400);
    });

    it('sends model versions as strings; model-versions/search reads repeated order_by keys and returns no aliases', async () => {
      const name = await newModel(3);
      await client.request('POST', 'registered-models/alias', { body: { name, alias: 'Champion', version: '2' } });
      const { model_version } = await client.request<{ model_version: { version: unknown; aliases?: string[] } }>('GET', 'model-versions/get', { query: { name, version: '2' } });
      expect(model_version.version).toBe('2');
      expect(model_version.aliases).toEqual(['Champion']);
      const search = await client.request<{ model_versions: { version: string; aliases?: unknown }[] }>('GET', 'model-versions/search', {
        query: { filter: `name='${name}'`, order_by: ['version_number DESC'] },
      });
      expect(search.model_versions.map((v) => v.version)).toEqual(['3', '2', '1']);
      expect(search.model_versions.every((v) => v.aliases === undefined || (Array.isArray(v.aliases) && v.aliases.length === 0))).toBe(true);
    });

    it('has no POST route for model-versions/search', async () => {
      const error = await failure(client.request('POST', 'model-versions/search', { body: { filter: "name='x'" } }));
      expect(error).toBeInstanceOf(RemoteError);
      expect(error.details).toMatchObject({ status: 405 });
    });

    it('answers a missing alias with 400 INVALID_PARAMETER_VALUE, not 404', async () => {
      const name = await newModel(1);
      const error = await failure(client.request('GET', 'registered-models/alias', { query: { name, alias: 'Nobody' } }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.details).toMatchObject({ status: 400, errorCode: 'INVALID_PARAMETER_VALUE' });
      expect(error.code).toBe(ErrorCodes.VALIDATION);
    });

    it('takes DELETE registered-models/alias fields from a JSON body', async () => {
      const name = await newModel(1);
      await client.request('POST', 'registered-models/alias', { body: { name, alias: 'Gone', version: '1' } });
      await client.request('DELETE', 'registered-models/alias', { body: { name, alias: 'Gone' } });
      const { registered_model } = await client.request<{ registered_model: { aliases?: unknown[] } }>('GET', 'registered-models/get', { query: { name } });
      expect(registered_model.aliases ?? []).toEqual([]);
    });

    it('refuses a local model source unless it lies in the run\'s artifact directory', async () => {
      const name = await newModel(0);
      const error = await failure(client.request('POST', 'model-versions/create', { body: { name, source: '/tmp/somewhere/model' } }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.details).toMatchObject({ status: 400 });
    });

    describe('where MLflow 2.x and 3.x differ', () => {
      let generation: 2 | 3;
      beforeAll(async () => {
        generation = (await client.serverGeneration())!;
        if (version !== undefined) expect(generation).toBe(version);
      });

      it('cuts a run tag value at 5000 characters on 2.x and at 8000 on 3.x (200 OK)', async () => {
        const runId = await newRun();
        await client.request('POST', 'runs/log-batch', { body: { run_id: runId, tags: [{ key: 'long', value: 'x'.repeat(9000) }] } });
        const { run } = await client.request<{ run: { data: { tags: { key: string; value: string }[] } } }>('GET', 'runs/get', { query: { run_id: runId } });
        expect(run.data.tags.find((t) => t.key === 'long')!.value).toHaveLength(generation === 2 ? 5000 : 8000);
      });

      it('metrics/get-history without max_results: no metrics on 3.x, all of them on 2.x', async () => {
        const runId = await newRun();
        await client.request('POST', 'runs/log-batch', { body: { run_id: runId, metrics: [{ key: 'm', value: 1, timestamp: 1, step: 0 }] } });
        const answer = await client.request<{ metrics?: unknown[] }>('GET', 'metrics/get-history', { query: { run_id: runId, metric_key: 'm' } });
        expect(answer.metrics ?? []).toHaveLength(generation === 3 ? 0 : 1);
      });

      it('logged-models/search: a JSON answer on 3.x, the 404 page on 2.x', async () => {
        const call = client.request('POST', 'logged-models/search', { body: { experiment_ids: [experimentId] } });
        if (generation === 3) await expect(call).resolves.toBeDefined();
        else expect((await failure(call)).details).toMatchObject({ status: 404, errorCode: 'ENDPOINT_NOT_FOUND' });
      });

      it('a POST with a foreign Origin is refused with 403 on 3.x and served on 2.x; the adapter sends no Origin', async () => {
        const status = await client.http
          .post('api/2.0/mlflow/experiments/create', JSON.stringify({ name: uniqueName('origin') }), { headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' } })
          .then((r) => r.status, (e: { response?: { status: number } }) => e.response?.status);
        expect(status).toBe(generation === 3 ? 403 : 200);
      });

      it('a GET of a missing artifact through the proxy answers 500 INTERNAL_ERROR "No such file or directory" on both', async () => {
        const runId = await newRun();
        const { run } = await client.request<{ run: { info: { artifact_uri: string } } }>('GET', 'runs/get', { query: { run_id: runId } });
        const relative = run.info.artifact_uri.replace(/^mlflow-artifacts:\/*/, '');
        const answer = await client.http
          .get(`api/2.0/mlflow-artifacts/artifacts/${relative}/missing.txt`, { responseType: 'text', 'axios-retry': { retries: 0 } } as object)
          .then((r) => ({ status: r.status, data: String(r.data) }), (e: { response?: { status: number; data: unknown } }) => ({ status: e.response?.status, data: String(e.response?.data) }));
        expect(answer.status).toBe(500);
        expect(answer.data).toMatch(/INTERNAL_ERROR/);
        expect(answer.data).toMatch(/No such file or directory/);
      });
    });
  });
}
