import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createContainer, createRuntime, ErrorCodes, TYPES, type IModelRegistry, type JobRuntime } from 'mlops-kit';
import { MemoryAlerter, MemoryLogger } from 'mlops-kit/testing';
import { answerFlavor, answerModel, registerDir, until } from '../../support/model-fixtures';

/**
 * runtime.predictor(uri) as a backend uses it, on the local store with an app's flavor (`answer`, whose
 * scoring and loading a test can hold): it follows the alias, swaps atomically while calls run, shares
 * one load between predictors, keeps serving through bad versions and a deleted alias, and the runtime
 * closes it.
 */
let dir: string;
let flavor: ReturnType<typeof answerFlavor>;
let logger: MemoryLogger;
let runtime: JobRuntime;
let registry: IModelRegistry;
let counter = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-predictor-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));
beforeEach(async () => {
  flavor = answerFlavor();
  logger = new MemoryLogger();
  const container = createContainer({
    config: { tracking: { uri: path.join(dir, 'mlruns') } },
    flavors: [flavor.loader],
    overrides: { [TYPES.Logger]: logger, [TYPES.Alerter]: new MemoryAlerter() },
  });
  runtime = createRuntime(container);
  registry = container.get(TYPES.ModelRegistry);
  await runtime.start({ services: ['registry'] });
});
afterEach(() => runtime.close());

/** A fresh registered model whose versions answer `answers` in order (1, 2, … by default); its name. */
async function modelAnswering(...answers: (number | { text: string })[]): Promise<string> {
  const name = `answers-${++counter}`;
  for (const [i, answer] of answers.entries()) await registerDir(registry, name, await answerModel(path.join(dir, name, `v${i + 1}`), answer));
  return name;
}

/** What the predictor's lines in the log say (the runtime's own [START] lines left out). */
const predictorLines = (level?: 'info' | 'warn' | 'error') => logger.entries.filter((e) => e.source === 'predictor' && (level === undefined || e.level === level)).map((e) => e.message);

it('follows the alias: refresh() swaps to the version it now names, and the answers change', async () => {
  const name = await modelAnswering(1, 2);
  await registry.setAlias(name, 'Champion', 1);
  const predictor = runtime.predictor<{ x: number }, number>(`models:/${name}@Champion`, { refreshMs: 0 });

  expect(await predictor.predict([{ x: 0 }, { x: 1 }])).toEqual({ predictions: [1, 1], outputs: { answer: [1, 1] }, uri: `models:/${name}/1`, model: name, version: 1 });
  await registry.setAlias(name, 'Champion', 2);
  expect((await predictor.predict({ x: [0] })).version).toBe(1); // not checked yet
  await predictor.refresh();
  expect(await predictor.predict({ x: [0] })).toMatchObject({ predictions: [2], version: 2, uri: `models:/${name}/2` });
  expect(flavor.releases).toEqual([1]); // the old version, freed: nothing ran on it
  expect(predictor.status()).toEqual({
    uri: `models:/${name}@Champion`,
    model: name,
    version: 2,
    flavor: 'answer',
    loadedAt: expect.any(Number),
    lastCheckedAt: expect.any(Number),
  });
  expect(predictorLines()).toEqual([`Predictor models:/${name}@Champion: serving version 1`, `Predictor models:/${name}@Champion: serving version 2 (was version 1)`]);
});

it('calls in flight finish on the old version, which is released only after them', async () => {
  const name = await modelAnswering(1, 2);
  await registry.setAlias(name, 'Champion', 1);
  const predictor = runtime.predictor(`models:/${name}@Champion`, { refreshMs: 0 });
  await predictor.ready();

  flavor.scoring.close();
  const running = [predictor.predict([{ x: 1 }]), predictor.predict({ x: [1, 2] }), predictor.predict([{ x: 3 }])];
  await until(() => flavor.scoring.held === 3, 'three calls held in the model');
  await registry.setAlias(name, 'Champion', 2);
  await predictor.refresh();
  expect(predictor.status().version).toBe(2); // swapped while they run
  expect(flavor.releases).toEqual([]); // but version 1 is still theirs

  const later = predictor.predict([{ x: 4 }]); // a new call goes to version 2
  flavor.scoring.open();
  const answers = await Promise.all(running);
  expect(answers.map((a) => [a.version, a.predictions])).toEqual([[1, [1]], [1, [1, 1]], [1, [1]]]);
  expect(await later).toMatchObject({ version: 2, predictions: [2] });
  await until(() => flavor.releases.length === 1, 'version 1 released');
  expect(flavor.releases).toEqual([1]);
});

it('one version that several predictors name is loaded once, and freed when the last lets go', async () => {
  const name = await modelAnswering(1, 2);
  await registry.setAlias(name, 'Champion', 1);
  await registry.setAlias(name, 'Challenger', 1);
  const champion = runtime.predictor(`models:/${name}@Champion`, { refreshMs: 0 });
  expect(runtime.predictor(`models:/${name}@Champion`)).toBe(champion); // one per URI
  const challenger = runtime.predictor(`models:/${name}@Challenger`, { refreshMs: 0 });
  const pinned = runtime.predictor(`models:/${name}/1`);
  await Promise.all([champion.ready(), challenger.ready(), pinned.ready(), champion.predict([{ x: 1 }]), pinned.predict([{ x: 1 }])]);
  expect(flavor.loads).toEqual([1]);

  await registry.setAlias(name, 'Champion', 2);
  await registry.setAlias(name, 'Challenger', 2);
  await Promise.all([champion.refresh(), challenger.refresh()]);
  expect(flavor.loads).toEqual([1, 2]);
  expect(flavor.releases).toEqual([]); // the pinned predictor still holds version 1
  expect(runtime.predictors().map((s) => [s.uri, s.version])).toEqual([
    [`models:/${name}@Champion`, 2],
    [`models:/${name}@Challenger`, 2],
    [`models:/${name}/1`, 1],
  ]);
  await runtime.close();
  expect(flavor.releases.sort()).toEqual([1, 2]);
});

it('a version that fails to load leaves the current one serving, logged once, in status() until it recovers', async () => {
  const name = await modelAnswering(1, { text: '{"answer": ' }, 3);
  await registry.setAlias(name, 'Champion', 1);
  const uri = `models:/${name}@Champion`;
  const predictor = runtime.predictor(uri, { refreshMs: 0 });
  await predictor.ready();

  await registry.setAlias(name, 'Champion', 2);
  for (let i = 0; i < 3; i++) await expect(predictor.refresh()).rejects.toMatchObject({ code: ErrorCodes.MODEL_LOAD_FAILED });
  expect(await predictor.predict([{ x: 0 }])).toMatchObject({ version: 1, predictions: [1] });
  expect(predictor.status()).toMatchObject({ version: 1, lastError: { code: ErrorCodes.MODEL_LOAD_FAILED, message: expect.stringContaining(`models:/${name}/2: the answer loader failed:`), at: expect.any(Number) } });
  const warnings = predictorLines('warn');
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(new RegExp(`^Predictor ${uri}: MODEL_LOAD_FAILED: models:/${name}/2: the answer loader failed: .+ \\(still serving version 1\\)$`));
  expect(logger.entries.find((e) => e.level === 'warn')!.fields).not.toHaveProperty('error'); // a typed failure: no stack

  await registry.setAlias(name, 'Champion', 3);
  await predictor.refresh();
  expect(predictor.status()).not.toHaveProperty('lastError');
  expect((await predictor.predict([{ x: 0 }])).predictions).toEqual([3]);
  expect(predictorLines('info').at(-1)).toBe(`Predictor ${uri}: recovered from MODEL_LOAD_FAILED; serving version 3`);
});

it('an alias deleted while serving keeps the version serving and says so once', async () => {
  const name = await modelAnswering(1);
  await registry.setAlias(name, 'Champion', 1);
  const predictor = runtime.predictor(`models:/${name}@Champion`, { refreshMs: 0 });
  await predictor.ready();
  await registry.deleteAlias(name, 'Champion');

  await expect(predictor.refresh()).rejects.toMatchObject({ code: ErrorCodes.MODEL_ALIAS_NOT_FOUND });
  await expect(predictor.refresh()).rejects.toMatchObject({ code: ErrorCodes.MODEL_ALIAS_NOT_FOUND });
  expect((await predictor.predict([{ x: 0 }])).predictions).toEqual([1]);
  expect(predictor.status()).toMatchObject({ version: 1, lastError: { code: ErrorCodes.MODEL_ALIAS_NOT_FOUND } });
  expect(predictorLines('warn')).toEqual([expect.stringMatching(/^Predictor models:\/answers-\d+@Champion: MODEL_ALIAS_NOT_FOUND: .+ \(still serving version 1\)$/)]);
});

it('before any model loads, predict() is MODEL_NOT_READY naming the cause, ready() rejects with it, and the next call tries again', async () => {
  const name = `answers-${++counter}`;
  const predictor = runtime.predictor(`models:/${name}@Champion`, { refreshMs: 0 });
  const notReady = await predictor.predict([{ x: 0 }]).catch((e: unknown) => e);
  expect(notReady).toMatchObject({ code: ErrorCodes.MODEL_NOT_READY, details: { cause: ErrorCodes.MODEL_NOT_FOUND } });
  expect((notReady as Error).message).toMatch(new RegExp(`^models:/${name}@Champion: no model to serve yet: MODEL_NOT_FOUND: .+ The next call tries again\\.$`));
  await expect(predictor.ready()).rejects.toMatchObject({ code: ErrorCodes.MODEL_NOT_FOUND });
  expect(predictor.status()).toMatchObject({ lastError: { code: ErrorCodes.MODEL_NOT_FOUND } });
  expect(predictor.status()).not.toHaveProperty('version');
  expect(predictorLines('error')).toHaveLength(1); // nothing to serve: an error, said once

  await registerDir(registry, name, await answerModel(path.join(dir, name, 'v1'), 5));
  await registry.setAlias(name, 'Champion', 1);
  expect((await predictor.predict([{ x: 0 }])).predictions).toEqual([5]);
});

it('callers waiting for the first load share one load attempt', async () => {
  const name = await modelAnswering(1);
  await registry.setAlias(name, 'Champion', 1);
  flavor.loading.close();
  const predictor = runtime.predictor(`models:/${name}@Champion`, { refreshMs: 0 });
  const waiting = [predictor.ready(), predictor.refresh(), ...Array.from({ length: 10 }, (_, i) => predictor.predict([{ x: i }]))];
  await until(() => flavor.loading.held > 0, 'the load held');
  flavor.loading.open();
  await Promise.all(waiting);
  expect(flavor.loads).toEqual([1]);
  expect(flavor.loading.held).toBe(0);
});

it('input the model does not take is MODEL_INPUT_INVALID naming the column, and leaves no trace in status or log', async () => {
  const name = await modelAnswering(1);
  const predictor = runtime.predictor(`models:/${name}/1`);
  await predictor.ready();
  const lines = logger.entries.length;
  for (const [input, column] of [[[{ y: 1 }], 'y'], [[{ x: 'one' }], 'x'], [{ x: [Number.NaN] }, 'x'], [[{}], 'x']] as const) {
    await expect(predictor.predict(input as never)).rejects.toMatchObject({ code: ErrorCodes.MODEL_INPUT_INVALID, details: expect.objectContaining({ column }) });
  }
  expect(predictor.status()).not.toHaveProperty('lastError');
  expect(logger.entries.length).toBe(lines);
});

it('runtime.close() releases every model; a closed predictor refuses calls; a runtime started again makes new ones', async () => {
  const name = await modelAnswering(1);
  await registry.setAlias(name, 'Champion', 1);
  const uri = `models:/${name}@Champion`;
  const predictor = runtime.predictor(uri, { refreshMs: 60_000 });
  await predictor.ready();
  flavor.scoring.close();
  const running = predictor.predict([{ x: 1 }]);
  await until(() => flavor.scoring.held === 1, 'a call held in the model');

  const closing = runtime.close();
  expect(() => runtime.predictor(uri)).toThrow(expect.objectContaining({ code: ErrorCodes.RUNTIME_CLOSED }));
  // once the jobs settled (none here) the predictors close: they take no new calls
  await until(() => runtime.predictors().length === 0, 'the predictors closing');
  await expect(predictor.predict([{ x: 1 }])).rejects.toMatchObject({ code: ErrorCodes.RUNTIME_CLOSED });
  expect(flavor.releases).toEqual([]); // the call in flight still holds the model
  flavor.scoring.open();
  expect((await running).predictions).toEqual([1]); // the call in flight finishes
  await closing;
  expect(flavor.releases).toEqual([1]);
  expect(runtime.predictors()).toEqual([]);
  await expect(predictor.refresh()).rejects.toMatchObject({ code: ErrorCodes.RUNTIME_CLOSED });

  await runtime.start();
  const again = runtime.predictor(uri);
  expect(again).not.toBe(predictor);
  expect((await again.predict([{ x: 1 }])).predictions).toEqual([1]);
  expect(flavor.loads).toEqual([1, 1]);
});

it('checks the alias on its timer, and swaps without being asked', async () => {
  const name = await modelAnswering(1, 2);
  await registry.setAlias(name, 'Champion', 1);
  const predictor = runtime.predictor(`models:/${name}@Champion`, { refreshMs: 20 });
  await predictor.ready();
  await registry.setAlias(name, 'Champion', 2);
  await until(() => predictor.status().version === 2, 'the timer to find version 2');
  expect((await predictor.predict([{ x: 0 }])).predictions).toEqual([2]);
});

it('refuses what cannot work at once: a bad URI, a bad refreshMs, a runtime not started', async () => {
  expect(() => runtime.predictor('models:/no spaces allowed')).toThrow(expect.objectContaining({ code: ErrorCodes.VALIDATION }));
  expect(() => runtime.predictor('models:/ok@Champion', { refreshMs: -1 })).toThrow(expect.objectContaining({ code: ErrorCodes.VALIDATION, message: expect.stringContaining('refreshMs') }));
  expect(() => runtime.predictor('models:/ok@Champion', { refreshMs: 2 ** 31 })).toThrow(expect.objectContaining({ code: ErrorCodes.VALIDATION }));
  await runtime.close();
  expect(() => runtime.predictor('models:/ok@Champion')).toThrow(expect.objectContaining({ code: ErrorCodes.RUNTIME_CLOSED, message: expect.stringContaining('runtime.start()') }));
});
