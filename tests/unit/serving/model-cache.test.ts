import { ErrorCodes, ModelLoadError, type IModelLoader, type LoadedModel } from '../../../src/domain';
import { ModelCache } from '../../../src/application/serving/model-cache';

/** A loader of stand-in models (the port's contract, no files): it counts loads and releases by URI, and fails URIs it is told to. */
function countingLoader(failing = new Set<string>()) {
  const loads: string[] = [];
  const releases: string[] = [];
  const loader: IModelLoader = {
    async load(uri): Promise<LoadedModel> {
      loads.push(uri);
      if (failing.has(uri)) throw new ModelLoadError(`${uri}: broken`);
      return { uri, flavor: 'test', inputs: [], outputNames: ['y'], predict: async () => ({ y: [] }), release: async () => void releases.push(uri) };
    },
  };
  return { loader, loads, releases, failing };
}

describe('ModelCache', () => {
  it('loads a URI once for every holder that asks, even at the same moment, and frees it after the last release', async () => {
    const { loader, loads, releases } = countingLoader();
    const cache = new ModelCache(() => loader);
    const [a, b] = await Promise.all([cache.acquire('models:/m/1'), cache.acquire('models:/m/1')]);
    const c = await cache.acquire('models:/m/1');
    expect(loads).toEqual(['models:/m/1']);
    expect(a.model).toBe(b.model);
    await a.release();
    await a.release(); // a second release of one share changes nothing
    await b.release();
    expect(releases).toEqual([]);
    await c.release();
    expect(releases).toEqual(['models:/m/1']);
    expect(cache.size).toBe(0);
    await cache.acquire('models:/m/1'); // freed: the next holder loads it again
    expect(loads).toEqual(['models:/m/1', 'models:/m/1']);
  });

  it('keys by concrete URI: two versions are two models', async () => {
    const { loader, loads } = countingLoader();
    const cache = new ModelCache(() => loader);
    await Promise.all([cache.acquire('models:/m/1'), cache.acquire('models:/m/2'), cache.acquire('models:/m-0123456789abcdef0123456789abcdef')]);
    expect(loads).toHaveLength(3);
    expect(cache.size).toBe(3);
  });

  it('forgets a failed load, so the next holder tries again', async () => {
    const { loader, loads, failing } = countingLoader(new Set(['models:/m/1']));
    const cache = new ModelCache(() => loader);
    await expect(Promise.all([cache.acquire('models:/m/1'), cache.acquire('models:/m/1')])).rejects.toMatchObject({ code: ErrorCodes.MODEL_LOAD_FAILED });
    expect(cache.size).toBe(0);
    failing.clear();
    await cache.acquire('models:/m/1');
    expect(loads).toEqual(['models:/m/1', 'models:/m/1']);
  });

  it('refuses an alias URI: what it names changes, so it is resolved first', async () => {
    const { loader, loads } = countingLoader();
    await expect(new ModelCache(() => loader).acquire('models:/m@Champion')).rejects.toMatchObject({ code: ErrorCodes.VALIDATION, message: expect.stringContaining('resolve it to models:/<name>/<version>') });
    expect(loads).toEqual([]);
  });
});
