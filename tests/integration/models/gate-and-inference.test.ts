import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createContainer, createRuntime, ErrorCodes, TYPES, type ITracker } from 'mlops-kit';
import { MemoryAlerter, MemoryLogger } from 'mlops-kit/testing';
import { MlflowTestServer } from '../../support/mlflow-server/mlflow-test-server';
import { readCsvRows } from '../../support/csv';
import { writeHoldout } from '../../unit/jobs/gate-fixtures';

/**
 * Issue #17 end to end, through the container as an app builds it: real models from TrainingJob, a
 * promotion gate that promotes the stronger and refuses the weaker version (one evaluation run each),
 * bad gate input that writes nothing to the registry, and InferenceJob scoring a CSV with quoted ids
 * through the model loader, on the local store and on MLflow 3.x and 2.x (loopback servers).
 */
let server3: MlflowTestServer;
let server2: MlflowTestServer;
let dir: string;
let holdout: string;
beforeAll(async () => {
  server3 = await MlflowTestServer.start();
  server2 = await MlflowTestServer.start({ flavour: { version: 2 } });
  dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-gate-'));
  holdout = path.join(dir, 'holdout.csv');
  await writeHoldout(holdout, { seed: 5, rows: 400 });
});
afterAll(async () => {
  await Promise.all([server3.stop(), server2.stop()]);
  await rm(dir, { recursive: true, force: true });
});

const backends = [
  { name: 'local store', uri: () => path.join(dir, 'mlruns'), server: () => undefined },
  { name: 'loopback MLflow 3.x', uri: () => server3.uri, server: () => server3 },
  { name: 'loopback MLflow 2.x', uri: () => server2.uri, server: () => server2 },
];

describe.each(backends)('promotion gate and streaming inference on the $name backend', ({ name, uri, server }) => {
  it('promotes the stronger version, refuses the weaker one, and scores a CSV with the Champion', async () => {
    const slug = name.replace(/\W+/g, '-');
    const container = createContainer({
      config: { tracking: { uri: uri(), experimentName: `gate-${slug}`, onUnavailable: 'fail' } },
      overrides: { [TYPES.Logger]: new MemoryLogger(), [TYPES.Alerter]: new MemoryAlerter() },
    });
    const runtime = createRuntime(container);
    const tracker: ITracker = container.get(TYPES.Tracker);
    const registry = container.get(TYPES.ModelRegistry);
    await runtime.start();
    try {
      const model = `gate-${slug}`;
      const weak = await runtime.run({ KIND: 'TrainingJob', model, epochs: 1, learningRate: 0.001 });
      const strong = await runtime.run({ KIND: 'TrainingJob', model, epochs: 300 });
      const gate = { dataPath: holdout, target: 'demand', metric: 'rmse' as const };

      // no Champion yet: the threshold decides
      const first = await runtime.run({ KIND: 'PromotionJob', model, version: weak.version!, gate: { ...gate, threshold: 1e6 } });
      expect(first).toMatchObject({ promoted: true, version: weak.version });
      const wins = await runtime.run({ KIND: 'PromotionJob', model, version: strong.version!, gate });
      expect(wins).toMatchObject({ promoted: true, previousVersion: weak.version, gate: { holderVersion: weak.version } });
      expect((await registry.getVersionByAlias(model, 'Champion')).version).toBe(strong.version);

      const aliasWrites = () => server()?.requestsTo('registered-models/alias', 'POST').length;
      const writesBefore = aliasWrites();
      // the server saw both promotions (so an unchanged count below means no write)
      if (server()) expect(writesBefore).toBe(2);
      const loses = await runtime.run({ KIND: 'PromotionJob', model, version: weak.version!, gate });
      expect(loses).toMatchObject({ promoted: false, previousVersion: strong.version });
      expect((await registry.getVersionByAlias(model, 'Champion')).version).toBe(strong.version);
      expect(aliasWrites()).toBe(writesBefore);
      const evaluation = await tracker.getRun(loses.gate!.runId!);
      expect(evaluation.info.status).toBe('FINISHED');
      expect(evaluation.data.tags).toMatchObject({ 'mlops.job': 'PromotionJob', 'mlops.gate.decision': 'refuse', 'mlops.gate.candidate_version': String(weak.version), 'mlops.gate.holder_version': String(strong.version) });
      expect(evaluation.data.metrics.candidate_rmse?.value).toBeCloseTo(loses.gate!.candidateScore!, 9);
      expect(evaluation.data.metrics.holder_rmse?.value).toBeCloseTo(loses.gate!.holderScore!, 9);
      expect(evaluation.inputs?.datasetInputs.map((i) => i.tags['mlflow.data.context'])).toEqual(['evaluation']);

      // bad input: one line, a stable code, nothing written to the registry
      await writeHoldout(path.join(dir, `${slug}-partial.csv`), { without: 'temperature' });
      const bad = await runtime.run({ KIND: 'PromotionJob', model, version: weak.version!, gate: { ...gate, dataPath: path.join(dir, `${slug}-partial.csv`) } }).catch((e: unknown) => e as Error & { code: string });
      expect(bad).toMatchObject({ code: ErrorCodes.MODEL_INPUT_INVALID });
      expect(aliasWrites()).toBe(writesBefore);
      expect((await registry.getVersionByAlias(model, 'Champion')).version).toBe(strong.version);

      // InferenceJob through the loader: quoted ids pass through, the Champion scores
      const input = path.join(dir, `${slug}-in.csv`);
      await writeFile(input, '\uFEFFid,hour,temperature,humidity,windspeed,workingday,holiday,rush_hour\r\n"a, 1",8,14.5,0.6,10,1,0,1\r\n"b\r\n2",13,22,0.4,5,0,0,0\r\n');
      const outputPath = path.join(dir, `${slug}-out.csv`);
      const scored = await runtime.run({ KIND: 'InferenceJob', modelUri: `models:/${model}@Champion`, inputPath: input, outputPath });
      expect(scored).toMatchObject({ model, version: strong.version, rows: 2 });
      expect(['onnx', 'mlops_kit']).toContain(scored.flavor);
      const out = await readCsvRows(outputPath);
      expect(out.rows.map((r) => r[0])).toEqual(['a, 1', 'b\r\n2']);
      expect(out.rows.every((r) => Number.isFinite(Number(r.at(-1))))).toBe(true);
      expect((await readFile(outputPath, 'utf8')).startsWith('id,hour,')).toBe(true);
    } finally {
      await runtime.close();
    }
  }, 90_000);
});
