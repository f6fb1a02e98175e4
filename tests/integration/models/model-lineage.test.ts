/**
 * @jest-environment ./tests/support/onnx-jest-environment.js
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createContainer, createRuntime, TYPES, type ITracker } from 'mlops-kit';
import { MemoryAlerter, MemoryLogger } from 'mlops-kit/testing';
import { MlflowTestServer } from '../../support/mlflow-server/mlflow-test-server';

/**
 * Issue #12 end to end, through the container as an app builds it: a TrainingJob logs its model (a
 * logged model on MLflow 3, local and memory; run artifacts on MLflow 2), registers it, a PromotionJob
 * sets an alias, and an InferenceJob loads the model by every URI form. The runs carry dataset inputs,
 * source tags and (opt-in) system metrics.
 */
type Backend = { name: string; uri: () => string; loggedModels: boolean };

let server3: MlflowTestServer;
let server2: MlflowTestServer;
let dir: string;
let inputCsv: string;
beforeAll(async () => {
  server3 = await MlflowTestServer.start();
  server2 = await MlflowTestServer.start({ flavour: { version: 2 } });
  dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-lineage-'));
  inputCsv = path.join(dir, 'input.csv');
  const header = 'hour,temperature,humidity,windspeed,workingday,holiday,rush_hour';
  await writeFile(inputCsv, `${header}\n8,14.5,0.6,10,1,0,1\n13,22,0.4,5,0,0,0\n`, 'utf8');
});
afterAll(async () => {
  await Promise.all([server3.stop(), server2.stop()]);
  await rm(dir, { recursive: true, force: true });
});

const backends: Backend[] = [
  { name: 'memory', uri: () => 'memory:', loggedModels: true },
  { name: 'local store', uri: () => path.join(dir, 'mlruns'), loggedModels: true },
  { name: 'loopback MLflow 3.x', uri: () => server3.uri, loggedModels: true },
  { name: 'loopback MLflow 2.x', uri: () => server2.uri, loggedModels: false },
];

async function predictionsOf(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8')).trim().split('\n').slice(1).map((line) => line.split(',').at(-1)!);
}

describe.each(backends)('models and lineage on the $name backend', ({ name, uri, loggedModels }) => {
  it('trains, logs the model with an MLmodel, registers, promotes, and loads it by every URI form', async () => {
    const slug = name.replace(/\W+/g, '-');
    const container = createContainer({
      config: { tracking: { uri: uri(), experimentName: `lineage-${slug}`, onUnavailable: 'fail', systemMetrics: { intervalSeconds: 0.02 } } },
      overrides: { [TYPES.Logger]: new MemoryLogger(), [TYPES.Alerter]: new MemoryAlerter() },
    });
    const runtime = createRuntime(container);
    const tracker: ITracker = container.get(TYPES.Tracker);
    await runtime.start();
    try {
      const model = `lineage-${slug}`;
      const trained = await runtime.run({ KIND: 'TrainingJob', model, epochs: 200, rows: 400 });
      if (loggedModels) {
        expect(trained.modelId).toMatch(/^m-[0-9a-f]{32}$/);
        expect(trained.modelUri).toBe(`models:/${trained.modelId}`);
        const logged = await tracker.getLoggedModel(trained.modelId!);
        expect(logged).toMatchObject({ status: 'READY', name: 'model', sourceRunId: trained.runId });
      } else {
        expect(trained.modelId).toBeUndefined();
        expect(trained.modelUri).toBe(`runs:/${trained.runId}/model`);
        // recorded as MLflow 2.x records a model (runs/log-model), so its UI lists it with the run
        const history = JSON.parse((await tracker.getRun(trained.runId)).data.tags['mlflow.log-model.history']!) as { artifact_path: string; flavors: object }[];
        expect(history).toEqual([expect.objectContaining({ run_id: trained.runId, artifact_path: 'model', flavors: { mlops_kit: expect.objectContaining({ loader: 'linear-regression' }) } })]);
      }

      // the model's files: MLmodel (flavor, signature, example) beside model.json
      const files = await tracker.downloadModel(trained.modelUri, path.join(dir, `${slug}-download`));
      const mlmodel = await readFile(path.join(files, 'MLmodel'), 'utf8');
      expect(mlmodel).toContain('mlops_kit:');
      expect(mlmodel).toContain('"name": "temperature"');
      expect(mlmodel).toContain('input_example.json');
      expect(JSON.parse(await readFile(path.join(files, 'model.json'), 'utf8'))).toHaveProperty('weights');

      // lineage on the training run: dataset input, source tags, system metrics sampled then stopped
      const run = await tracker.getRun(trained.runId);
      const inputs = run.inputs?.datasetInputs ?? [];
      expect(inputs).toHaveLength(1);
      expect(inputs[0]!.dataset).toMatchObject({ name: expect.any(String), digest: expect.stringMatching(/^[0-9a-f]{8,}$/) });
      expect(inputs[0]!.tags['mlflow.data.context']).toBe('training');
      expect(run.data.tags['mlflow.source.type']).toBe('LOCAL');
      expect(run.data.tags['mlflow.source.name']).toBeTruthy();
      if (loggedModels) expect(run.outputs?.modelOutputs.map((o) => o.modelId)).toEqual([trained.modelId]);
      const cpu = await tracker.getMetricHistory(trained.runId, 'system/cpu_utilization_percentage');
      expect(cpu.length).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await tracker.getMetricHistory(trained.runId, 'system/cpu_utilization_percentage')).toHaveLength(cpu.length); // stopped with the run

      const version = await container.get(TYPES.ModelRegistry).getModelVersion(model, trained.version!);
      expect(version.source).toBe(trained.modelUri);
      await runtime.run({ KIND: 'PromotionJob', model, alias: 'Champion' });

      const uris = [`models:/${model}@Champion`, `models:/${model}/${trained.version}`, `runs:/${trained.runId}/model`, ...(loggedModels ? [trained.modelUri] : [])];
      const predictions: string[][] = [];
      for (const [i, modelUri] of uris.entries()) {
        const outputPath = path.join(dir, `${slug}-${i}.csv`);
        const scored = await runtime.run({ KIND: 'InferenceJob', modelUri, inputPath: inputCsv, outputPath });
        expect(scored.rows).toBe(2);
        predictions.push(await predictionsOf(outputPath));
        const inference = await tracker.getRun(scored.runId);
        expect(inference.inputs?.datasetInputs[0]?.tags['mlflow.data.context']).toBe('inference');
        expect(inference.data.params.model_uri).toBe(modelUri);
      }
      // every URI form loads the same model
      for (const p of predictions) expect(p).toEqual(predictions[0]);
    } finally {
      await runtime.close();
    }
  }, 90_000);
});
