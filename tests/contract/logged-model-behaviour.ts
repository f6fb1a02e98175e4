/**
 * The behaviour every file-or-memory LoggedModelStore shares (local store and memory in
 * logged-model-behaviour.test.ts): logged models created PENDING and finalised, looked up by id alone,
 * MODEL_NOT_FOUND / RUN_NOT_FOUND / EXPERIMENT_NOT_FOUND for what does not exist, a dataset stored once
 * per experiment however often and however concurrently it is logged, outputs recorded once.
 */
import { ErrorCodes, NotFoundError } from '../../src/domain/errors';
import type { Dataset, LoggedModel } from '../../src/domain/model/logged-model';
import type { RunInputs, RunOutputs } from '../../src/domain/model/run';
import type { LoggedModelStore } from '../../src/infrastructure/tracking/client/logged-model-store';

/** A LoggedModelStore with the readers getRun and sync use. */
export type ReadableLoggedModelStore = LoggedModelStore & {
  runInputs(runId: string): Promise<RunInputs>;
  runOutputs(runId: string): Promise<RunOutputs>;
  listModels(experimentId: string): Promise<LoggedModel[]>;
};

export interface LoggedModelFixture {
  store: ReadableLoggedModelStore;
  /** A new experiment on the same backend; its id. */
  newExperiment(): Promise<string>;
  /** A new run in the experiment; its id. */
  newRun(experimentId: string): Promise<string>;
  /** Where this backend puts a logged model's files. */
  expectedArtifactUri(experimentId: string, modelId: string): string;
  cleanup(): Promise<void>;
}

export type LoggedModelFactory = () => Promise<LoggedModelFixture>;

const bikes: Dataset = { name: 'bikes', digest: 'a1b2c3d4', sourceType: 'local', source: '{"uri": "file:///data/bikes.csv"}', profile: '{"num_rows": 3}' };

async function expectNotFound(call: () => Promise<unknown>, code: string): Promise<void> {
  const error = await call().then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(NotFoundError);
  expect((error as NotFoundError).code).toBe(code);
}

export function describeLoggedModelBehaviour(name: string, factory: LoggedModelFactory): void {
  describe(`${name}: LoggedModelStore behaviour`, () => {
    let fixture: LoggedModelFixture;
    let store: ReadableLoggedModelStore;
    let experimentId: string;
    beforeAll(async () => {
      fixture = await factory();
      store = fixture.store;
      experimentId = await fixture.newExperiment();
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });

    it('has logged models', async () => {
      expect(await store.supported()).toBe(true);
    });

    it('creates a PENDING model with an m-<32 hex> id, its own artifact location and a models:/ URI; get finds it by id alone', async () => {
      const runId = await fixture.newRun(experimentId);
      const params = { alpha: '0.1' };
      const created = await store.create({ experimentId, name: 'model', sourceRunId: runId, modelType: 'regressor', params, tags: { team: 'ml' } });
      params.alpha = 'changed after the call';
      expect(created.modelId).toMatch(/^m-[0-9a-f]{32}$/);
      expect(created).toMatchObject({
        name: 'model', experimentId, sourceRunId: runId, modelType: 'regressor', status: 'PENDING',
        artifactUri: fixture.expectedArtifactUri(experimentId, created.modelId!), modelUri: `models:/${created.modelId}`,
        params: { alpha: '0.1' }, tags: { team: 'ml' },
      });
      expect(created.lastUpdatedTimestamp).toBe(created.creationTimestamp);
      expect(await store.get(created.modelId!)).toEqual(created);
    });

    it('finalize marks READY or FAILED, keeps everything else, and get sees it', async () => {
      const created = await store.create({ experimentId, name: 'to-finish', params: { k: 'v' }, tags: {} });
      const ready = await store.finalize(created.modelId!, 'READY');
      expect(ready).toMatchObject({ modelId: created.modelId, status: 'READY', params: { k: 'v' }, creationTimestamp: created.creationTimestamp });
      expect(ready.lastUpdatedTimestamp).toBeGreaterThanOrEqual(created.lastUpdatedTimestamp);
      expect((await store.get(created.modelId!)).status).toBe('READY');
      const failed = await store.create({ experimentId, name: 'to-fail', params: {}, tags: {} });
      expect((await store.finalize(failed.modelId!, 'FAILED')).status).toBe('FAILED');
      expect((await store.get(failed.modelId!)).status).toBe('FAILED');
    });

    it('finalize takes a final status only (PENDING is a type error)', async () => {
      const created = await store.create({ experimentId, name: 'typed', params: {}, tags: {} });
      // @ts-expect-error a model starts PENDING; finalize moves it to READY or FAILED
      const call = () => store.finalize(created.modelId!, 'PENDING');
      expect(typeof call).toBe('function');
    });

    it('answers MODEL_NOT_FOUND for an unknown id, also one shaped like a path, on get and finalize', async () => {
      await expectNotFound(() => store.get('m-' + '0'.repeat(32)), ErrorCodes.MODEL_NOT_FOUND);
      await expectNotFound(() => store.finalize('m-' + '0'.repeat(32), 'READY'), ErrorCodes.MODEL_NOT_FOUND);
      await expectNotFound(() => store.get('../../etc'), ErrorCodes.MODEL_NOT_FOUND);
    });

    it('refuses a model in an unknown experiment (EXPERIMENT_NOT_FOUND) and inputs/outputs of an unknown run (RUN_NOT_FOUND)', async () => {
      await expectNotFound(() => store.create({ experimentId: '987654321987654321', name: 'model', params: {}, tags: {} }), ErrorCodes.EXPERIMENT_NOT_FOUND);
      const missingRun = 'f'.repeat(32);
      await expectNotFound(() => store.logInputs(missingRun, [{ dataset: bikes, tags: {} }]), ErrorCodes.RUN_NOT_FOUND);
      await expectNotFound(() => store.logOutputs(missingRun, [{ modelId: 'm-' + '1'.repeat(32), step: 0 }]), ErrorCodes.RUN_NOT_FOUND);
      await expectNotFound(() => store.runInputs(missingRun), ErrorCodes.RUN_NOT_FOUND);
      await expectNotFound(() => store.runOutputs(missingRun), ErrorCodes.RUN_NOT_FOUND);
    });

    it('a run with nothing logged has no inputs and no outputs', async () => {
      const runId = await fixture.newRun(experimentId);
      expect(await store.runInputs(runId)).toEqual({ datasetInputs: [] });
      expect(await store.runOutputs(runId)).toEqual({ modelOutputs: [] });
    });

    it('stores a dataset once per experiment: the first one logged wins, each run gets one input with its first tags', async () => {
      const [a, b] = [await fixture.newRun(experimentId), await fixture.newRun(experimentId)];
      await store.logInputs(a, [{ dataset: bikes, tags: { 'mlflow.data.context': 'training' } }]);
      await store.logInputs(a, [{ dataset: { ...bikes, profile: '{"num_rows": 99}' }, tags: { 'mlflow.data.context': 'again' } }]);
      await store.logInputs(b, [{ dataset: { ...bikes, profile: '{"num_rows": 99}' }, tags: { 'mlflow.data.context': 'evaluation' } }]);
      await store.logInputs(b, [{ dataset: { ...bikes, digest: 'ffff0000' }, tags: {} }]);
      expect(await store.runInputs(a)).toEqual({ datasetInputs: [{ dataset: bikes, tags: { 'mlflow.data.context': 'training' } }] });
      expect(await store.runInputs(b)).toEqual({
        datasetInputs: [
          { dataset: bikes, tags: { 'mlflow.data.context': 'evaluation' } },
          { dataset: { ...bikes, digest: 'ffff0000' }, tags: {} },
        ],
      });
    });

    it('keeps datasets apart per experiment: the same name and digest elsewhere is another dataset', async () => {
      const other = await fixture.newExperiment();
      const here = await fixture.newRun(experimentId);
      const there = await fixture.newRun(other);
      await store.logInputs(here, [{ dataset: { ...bikes, digest: 'per-exp', profile: '{"where": "here"}' }, tags: {} }]);
      await store.logInputs(there, [{ dataset: { ...bikes, digest: 'per-exp', profile: '{"where": "there"}' }, tags: {} }]);
      expect((await store.runInputs(there)).datasetInputs[0]!.dataset.profile).toBe('{"where": "there"}');
    });

    it('records an output once (the first step stays), several sorted by step', async () => {
      const runId = await fixture.newRun(experimentId);
      const [m1, m2] = [await store.create({ experimentId, name: 'm1', params: {}, tags: {} }), await store.create({ experimentId, name: 'm2', params: {}, tags: {} })];
      await store.logOutputs(runId, [{ modelId: m2.modelId!, step: 3 }]);
      await store.logOutputs(runId, [{ modelId: m1.modelId!, step: 1 }, { modelId: m2.modelId!, step: 7 }]);
      expect(await store.runOutputs(runId)).toEqual({ modelOutputs: [{ modelId: m1.modelId, step: 1 }, { modelId: m2.modelId, step: 3 }] });
    });

    it('lists an experiment\'s models oldest first, and only that experiment\'s', async () => {
      const own = await fixture.newExperiment();
      const first = await store.create({ experimentId: own, name: 'first', params: {}, tags: {} });
      const second = await store.create({ experimentId: own, name: 'second', params: {}, tags: {} });
      await store.create({ experimentId, name: 'elsewhere', params: {}, tags: {} });
      expect((await store.listModels(own)).map((m) => m.modelId).sort()).toEqual([first.modelId, second.modelId].sort());
      expect((await store.listModels(own)).every((m) => m.experimentId === own)).toBe(true);
    });

    it('concurrent creates get distinct ids and all persist; concurrent inputs of one dataset store it once', async () => {
      const own = await fixture.newExperiment();
      const created = await Promise.all(Array.from({ length: 25 }, (_, i) => store.create({ experimentId: own, name: `m${i}`, params: { i: String(i) }, tags: {} })));
      expect(new Set(created.map((m) => m.modelId)).size).toBe(25);
      expect((await store.listModels(own)).length).toBe(25);
      for (const model of created) expect((await store.get(model.modelId!)).params).toEqual(model.params);

      const runs = await Promise.all(Array.from({ length: 6 }, () => fixture.newRun(own)));
      const dataset = { ...bikes, digest: 'concurrent' };
      await Promise.all(runs.flatMap((runId) => Array.from({ length: 4 }, (_, i) => store.logInputs(runId, [{ dataset, tags: { attempt: String(i) } }]))));
      for (const runId of runs) {
        const { datasetInputs } = await store.runInputs(runId);
        expect(datasetInputs).toHaveLength(1);
        expect(datasetInputs[0]!.dataset).toEqual(dataset);
      }
      await Promise.all(created.slice(0, 10).map((m, i) => store.finalize(m.modelId!, i % 2 ? 'READY' : 'FAILED')));
      expect((await Promise.all(created.slice(0, 10).map((m) => store.get(m.modelId!)))).map((m) => m.status)).toEqual(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? 'READY' : 'FAILED')),
      );
    });

    it('hands out copies: changing a returned model changes nothing stored', async () => {
      const created = await store.create({ experimentId, name: 'copy', params: { a: '1' }, tags: { t: 'x' } });
      created.params.a = '2';
      created.tags.t = 'y';
      expect(await store.get(created.modelId!)).toMatchObject({ params: { a: '1' }, tags: { t: 'x' } });
    });
  });
}
