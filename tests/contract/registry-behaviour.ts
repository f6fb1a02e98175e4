/**
 * The behaviour every IModelRegistry adapter must share, run against each adapter (memory and local in
 * memory-local.test.ts, MLflow against a real server elsewhere). Model names are unique per test, so the
 * suite also runs against a server that keeps state.
 */
import { ErrorCodes, NotFoundError, ValidationError } from '../../src/domain/errors';
import type { IModelRegistry } from '../../src/domain/ports/model-registry';
import type { ITracker } from '../../src/domain/ports/tracker';
import { attempt, uniqueName } from './tracker-behaviour';

export interface RegistryFixture {
  /** A started registry. */
  registry: IModelRegistry;
  /** A started tracker on the same backend, to make the runs versions point at. */
  tracker: ITracker;
  cleanup(): Promise<void>;
}

export type RegistryFactory = () => Promise<RegistryFixture>;

async function expectNotFound(call: () => Promise<unknown>, code: string): Promise<void> {
  const error = await attempt(call).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(NotFoundError);
  expect((error as NotFoundError).code).toBe(code);
}

export function describeRegistryBehaviour(name: string, factory: RegistryFactory): void {
  describe(`${name}: IModelRegistry behaviour`, () => {
    let fixture: RegistryFixture;
    let registry: IModelRegistry;
    let runId: string;
    beforeAll(async () => {
      fixture = await factory();
      registry = fixture.registry;
      runId = (await fixture.tracker.createRun({ experimentName: uniqueName('registry') })).runId;
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });

    /** A model with `count` versions whose sources point at the shared run. */
    async function modelWithVersions(count: number): Promise<string> {
      const model = uniqueName('model');
      await registry.createRegisteredModel(model);
      for (let i = 0; i < count; i++) await registry.createModelVersion({ name: model, source: `runs:/${runId}/model`, runId });
      return model;
    }

    it('createRegisteredModel creates once and returns the existing model after that', async () => {
      const model = uniqueName('model');
      const first = await registry.createRegisteredModel(model, { description: 'churn model' });
      const again = await registry.createRegisteredModel(model);
      expect(first).toMatchObject({ name: model, description: 'churn model', aliases: [] });
      expect(again.name).toBe(model);
      expect(again.creationTimestamp).toBe(first.creationTimestamp);
      expect((await registry.getRegisteredModel(model)).name).toBe(model);
    });

    it('reports an unknown model with MODEL_NOT_FOUND and refuses invalid names', async () => {
      await expectNotFound(() => registry.getRegisteredModel(uniqueName('missing')), ErrorCodes.MODEL_NOT_FOUND);
      await expectNotFound(() => registry.createModelVersion({ name: uniqueName('missing'), source: `runs:/${runId}/model` }), ErrorCodes.MODEL_NOT_FOUND);
      const error = await attempt(() => registry.createRegisteredModel('team/churn')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).code).toBe(ErrorCodes.INVALID_MODEL_NAME);
    });

    it('numbers versions 1, 2, 3 … with status READY and keeps source, run and description', async () => {
      const model = uniqueName('model');
      await registry.createRegisteredModel(model);
      const v1 = await registry.createModelVersion({ name: model, source: `runs:/${runId}/model`, runId, description: 'first' });
      const v2 = await registry.createModelVersion({ name: model, source: `runs:/${runId}/model`, runId });
      expect([v1.version, v2.version]).toEqual([1, 2]);
      expect(v1).toMatchObject({ name: model, source: `runs:/${runId}/model`, runId, status: 'READY', description: 'first' });
      expect(await registry.getModelVersion(model, 2)).toMatchObject({ name: model, version: 2, runId, status: 'READY' });
    });

    it('never hands out one version number twice when versions are created at once', async () => {
      const model = uniqueName('model');
      await registry.createRegisteredModel(model);
      const made = await Promise.all(
        Array.from({ length: 6 }, () => registry.createModelVersion({ name: model, source: `runs:/${runId}/model`, runId })),
      );
      expect(made.map((v) => v.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('reports an unknown version with MODEL_VERSION_NOT_FOUND', async () => {
      const model = await modelWithVersions(1);
      await expectNotFound(() => registry.getModelVersion(model, 7), ErrorCodes.MODEL_VERSION_NOT_FOUND);
      await expectNotFound(() => registry.setAlias(model, 'Champion', 7), ErrorCodes.MODEL_VERSION_NOT_FOUND);
    });

    it('getLatestVersion is the highest number, undefined without versions', async () => {
      const model = await modelWithVersions(3);
      expect((await registry.getLatestVersion(model))?.version).toBe(3);
      const empty = uniqueName('model');
      await registry.createRegisteredModel(empty);
      expect(await registry.getLatestVersion(empty)).toBeUndefined();
      expect(await registry.getLatestVersion(uniqueName('missing'))).toBeUndefined();
    });

    it('sets, moves and deletes aliases; a missing alias is MODEL_ALIAS_NOT_FOUND', async () => {
      const model = await modelWithVersions(2);
      await registry.setAlias(model, 'Champion', 1);
      const champion = await registry.getVersionByAlias(model, 'Champion');
      expect(champion).toMatchObject({ name: model, version: 1 });
      expect(champion.aliases).toContain('Champion');
      expect((await registry.getRegisteredModel(model)).aliases).toEqual([{ alias: 'Champion', version: 1 }]);
      await registry.setAlias(model, 'Champion', 2);
      expect((await registry.getVersionByAlias(model, 'Champion')).version).toBe(2);
      expect((await registry.getModelVersion(model, 1)).aliases).not.toContain('Champion');
      await registry.deleteAlias(model, 'Champion');
      await expectNotFound(() => registry.getVersionByAlias(model, 'Champion'), ErrorCodes.MODEL_ALIAS_NOT_FOUND);
      expect((await registry.getRegisteredModel(model)).aliases).toEqual([]);
    });

    it('refuses reserved and malformed aliases with INVALID_ALIAS before touching the store', async () => {
      const model = await modelWithVersions(1);
      for (const alias of ['latest', 'Latest', 'v3', 'bad alias', '']) {
        const error = await attempt(() => registry.setAlias(model, alias, 1)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).code).toBe(ErrorCodes.INVALID_ALIAS);
      }
    });

    it('searchModelVersions filters by name and run_id, orders by version_number and pages', async () => {
      const model = await modelWithVersions(3);
      const other = await fixture.tracker.createRun({ experimentName: uniqueName('registry') });
      await registry.createModelVersion({ name: model, source: `runs:/${other.runId}/model`, runId: other.runId });
      const filter = `name='${model}'`;
      const desc = await registry.searchModelVersions({ filter, orderBy: ['version_number DESC'] });
      expect(desc.items.map((v) => v.version)).toEqual([4, 3, 2, 1]);
      const asc = await registry.searchModelVersions({ filter, orderBy: ['version_number ASC'] });
      expect(asc.items.map((v) => v.version)).toEqual([1, 2, 3, 4]);
      const byRun = await registry.searchModelVersions({ filter: `name='${model}' AND run_id='${other.runId}'` });
      expect(byRun.items.map((v) => v.version)).toEqual([4]);

      const first = await registry.searchModelVersions({ filter, orderBy: ['version_number DESC'], maxResults: 3 });
      expect(first.items.map((v) => v.version)).toEqual([4, 3, 2]);
      expect(first.nextPageToken).toBeTruthy();
      const second = await registry.searchModelVersions({ filter, orderBy: ['version_number DESC'], maxResults: 3, pageToken: first.nextPageToken });
      expect(second.items.map((v) => v.version)).toEqual([1]);
      expect(second.nextPageToken).toBeUndefined();
      expect((await registry.searchModelVersions({ filter: `name='${uniqueName('missing')}'` })).items).toEqual([]);
    });
  });
}
