import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TrainingJob } from '../../../src/application/jobs/training-job';
import { parseModel } from '../../../src/application/training/linear-model';
import { ConfigError, ErrorCodes, ValidationError } from '../../../src/domain/errors';
import { memoryServices, rejectionOf } from './job-services';

const MODEL = 'bike-demand';
let tmp: string;

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'training-job-test-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** The model.json of a logged model, downloaded the way an InferenceJob gets it. */
async function modelJson(env: ReturnType<typeof memoryServices>, modelUri: string) {
  const dir = await env.tracker.downloadModel(modelUri, await mkdtemp(path.join(tmp, 'model-')));
  return parseModel(await readFile(path.join(dir, 'model.json'), 'utf8'), 'model.json');
}

describe('TrainingJob', () => {
  it('tracks a run with params, per-epoch loss, metrics, data tags and the model artifact, then registers it', async () => {
    const env = memoryServices();
    const config = { KIND: 'TrainingJob' as const, model: MODEL, epochs: 50, rows: 300 };
    const result = await new TrainingJob(env.services, config, { tmpDir: tmp }).execute();

    const run = env.tracker.run(result.runId);
    expect(run.info.status).toBe('FINISHED');
    expect(run.info.runName).toBe(`train-${MODEL}`);
    expect(env.tracker.params(result.runId)).toMatchObject({
      model: MODEL,
      seed: '42',
      rows: '300',
      epochs: '50',
      learningRate: '0.05',
      l2: '0.001',
      testFraction: '0.2',
      features: 'hour,temperature,humidity,windspeed,workingday,holiday,rush_hour',
      n_features: '7',
      data_source: 'synthetic:bike-demand',
    });
    const loss = env.tracker.metrics(result.runId, 'loss');
    expect(loss.map((m) => m.step)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(loss.at(-1)!.value).toBeLessThan(loss[0]!.value);
    expect(env.tracker.metricValues(result.runId, 'rmse')).toEqual([result.rmse]);
    expect(env.tracker.metricValues(result.runId, 'r2')).toEqual([result.r2]);
    expect(env.tracker.metricValues(result.runId, 'train_rmse')).toHaveLength(1);
    expect(env.tracker.metricValues(result.runId, 'train_r2')).toHaveLength(1);
    expect(env.tracker.tags(result.runId)).toMatchObject({
      'data.rows': '300',
      'data.target': 'demand',
      'data.train_rows': '240',
      'data.test_rows': '60',
      'mlops.registered_version': '1',
    });
    expect(Number(env.tracker.tags(result.runId)['data.target_mean'])).toBeGreaterThan(0);

    // the model is a logged model (its own files), recorded as the run's output: an MLmodel, model.onnx with
    // MLflow's environment files (onnx and python_function flavors), and model.json (the mlops_kit flavor)
    expect(result.modelUri).toBe(`models:/${result.modelId}`);
    const logged = await env.tracker.getLoggedModel(result.modelId!);
    expect(logged).toMatchObject({ name: 'model', status: 'READY', sourceRunId: result.runId, modelType: 'regressor', params: { epochs: '50' } });
    expect((await env.tracker.getRun(result.runId)).outputs?.modelOutputs).toEqual([{ modelId: result.modelId, step: 0 }]);
    expect(env.tracker.artifacts(result.runId)).toEqual([]);
    const files = await readdir(await env.tracker.downloadModel(result.modelUri, path.join(tmp, 'files')));
    expect(files.sort()).toEqual(['MLmodel', 'conda.yaml', 'input_example.json', 'model.json', 'model.onnx', 'python_env.yaml', 'requirements.txt', 'serving_input_example.json']);
    const model = await modelJson(env, result.modelUri);
    expect(model.featureNames).toHaveLength(7);
    expect(model.weights).toHaveLength(7);

    const [version] = env.store.versions(MODEL);
    expect(result).toEqual({
      runId: result.runId, experimentId: run.info.experimentId, model: MODEL, modelUri: result.modelUri, modelId: result.modelId, version: 1, rmse: expect.any(Number), r2: expect.any(Number),
    });
    expect(version).toMatchObject({ version: 1, runId: result.runId, source: result.modelUri, modelId: result.modelId });
    expect(env.alerter.alerts).toEqual([{ title: 'Training Job Finished', message: 'Model version: 1', level: 'info' }]);
    // the training data is the run's dataset input
    const [input] = (await env.tracker.getRun(result.runId)).inputs!.datasetInputs;
    expect(input).toMatchObject({ dataset: { name: 'bike-demand', sourceType: 'code', digest: expect.stringMatching(/^[0-9a-f]{8}$/) }, tags: { 'mlflow.data.context': 'training' } });
    // the staging dirs are cleaned up (only this test's download dirs remain)
    expect((await readdir(tmp)).sort()).toEqual(['files', expect.stringMatching(/^model-/)]);
  });

  it('is deterministic: the same seed gives identical weights and metrics, and each run adds a version', async () => {
    const env = memoryServices();
    const config = { KIND: 'TrainingJob' as const, model: MODEL, seed: 7, epochs: 30, rows: 200 };
    const first = await new TrainingJob(env.services, config).execute();
    const second = await new TrainingJob(env.services, config).execute();
    expect(second.runId).not.toBe(first.runId);
    expect(second.rmse).toBe(first.rmse);
    expect(second.r2).toBe(first.r2);
    expect(await modelJson(env, second.modelUri)).toEqual(await modelJson(env, first.modelUri));
    expect(env.tracker.metricValues(second.runId, 'loss')).toEqual(env.tracker.metricValues(first.runId, 'loss'));
    expect([first.version, second.version]).toEqual([1, 2]);
    const other = await new TrainingJob(env.services, { ...config, seed: 8 }).execute();
    expect(other.rmse).not.toBe(first.rmse);
  });

  it('with register: false logs the model but creates no version', async () => {
    const env = memoryServices();
    const result = await new TrainingJob(env.services, { KIND: 'TrainingJob', model: MODEL, epochs: 5, register: false }).execute();
    expect(result.version).toBeUndefined();
    expect(env.registryCalls).toEqual([]);
    expect((await env.tracker.getLoggedModel(result.modelId!)).status).toBe('READY');
    expect(env.alerter.alerts[0]?.message).toBe('Model version: not registered (register: false)');
  });

  it('trains on a CSV from dataPath, with its columns as features', async () => {
    const env = memoryServices();
    const file = path.join(tmp, 'bikes.csv');
    const rows = Array.from({ length: 40 }, (_, i) => `${i % 24},${10 + (i % 7)},${3 * (i % 24) + 2 * (10 + (i % 7)) + 5}`);
    await writeFile(file, ['hour,temperature,demand', ...rows].join('\n'));
    const result = await new TrainingJob(env.services, { KIND: 'TrainingJob', model: MODEL, dataPath: file, epochs: 300, learningRate: 0.1, l2: 0 }).execute();
    expect(env.tracker.params(result.runId)).toMatchObject({ features: 'hour,temperature', rows: '40', data_source: 'csv:bikes.csv' });
    expect(result.r2).toBeGreaterThan(0.99);
    expect((await modelJson(env, result.modelUri)).featureNames).toEqual(['hour', 'temperature']);
  });

  it('a missing dataPath is a ConfigError naming the key and the file, and leaves no run', async () => {
    const env = memoryServices();
    const missing = path.join(tmp, 'nope.csv');
    const error = await rejectionOf(new TrainingJob(env.services, { KIND: 'TrainingJob', model: MODEL, dataPath: missing }).execute());
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe(ErrorCodes.CONFIG_INVALID);
    expect(error.message).toContain(`job.dataPath: ${missing} no such file`);
    expect(env.tracker.runs()).toEqual([]);
  });

  it('bad hyperparameters fail before a run is created', async () => {
    const env = memoryServices();
    const error = await rejectionOf(new TrainingJob(env.services, { KIND: 'TrainingJob', model: MODEL, testFraction: 1.5 }).execute());
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/^job\.testFraction: Too big: expected number to be <1/);
    expect(env.tracker.runs()).toEqual([]);
  });

  it('a failure during training ends the run FAILED and rethrows', async () => {
    const env = memoryServices();
    const error = await rejectionOf(new TrainingJob(env.services, { KIND: 'TrainingJob', model: MODEL, learningRate: 50 }).execute());
    expect(error.message).toMatch(/Training diverged/);
    const [run] = env.tracker.runs();
    expect(run!.info.status).toBe('FAILED');
    expect(env.store.registeredModels()).toEqual([]);
    expect(env.alerter.alerts).toEqual([]);
  });
});
