import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InferenceJob } from '../../../src/application/jobs/inference-job';
import { TrainingJob } from '../../../src/application/jobs/training-job';
import { parseModel, predict } from '../../../src/application/training/linear-model';
import { ConfigError, ErrorCodes, NotFoundError, ValidationError } from '../../../src/domain/errors';
import { readCsvRows } from '../../support/csv';
import { memoryServices, rejectionOf } from './job-services';

const MODEL = 'bike-demand';
const FEATURES = ['hour', 'temperature', 'humidity', 'windspeed', 'workingday', 'holiday', 'rush_hour'];
const INPUT = [
  `id,${FEATURES.join(',')}`,
  'a,8,18.5,0.55,10,1,0,1',
  'b,3,9,0.8,20,0,0,0',
  'c,17,24,0.4,5,1,0,1',
].join('\n');
let tmp: string;

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'inference-job-test-'));
  await writeFile(path.join(tmp, 'input.csv'), INPUT);
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function trained() {
  const env = memoryServices();
  const training = await new TrainingJob(env.services, { KIND: 'TrainingJob', model: MODEL, epochs: 100 }).execute();
  await env.store.setAlias(MODEL, 'Champion', training.version!);
  return { env, training };
}

describe('InferenceJob', () => {
  it('scores a CSV with the model behind an alias and writes input + prediction columns', async () => {
    const { env, training } = await trained();
    const outputPath = path.join(tmp, 'out', 'predictions.csv');
    const job = new InferenceJob(env.services, { KIND: 'InferenceJob', modelUri: `models:/${MODEL}@Champion`, inputPath: path.join(tmp, 'input.csv'), outputPath });
    const result = await job.execute();
    expect(result).toEqual({ runId: expect.any(String), modelUri: `models:/${MODEL}@Champion`, model: MODEL, version: 1, modelId: training.modelId, flavor: expect.any(String), rows: 3, outputPath });
    // the loader's pick: onnx (float32) when the model has it and onnxruntime-node loads, else mlops_kit
    expect(['onnx', 'mlops_kit']).toContain(result.flavor);
    expect(training.modelId).toMatch(/^m-[0-9a-f]{32}$/);

    const out = await readCsvRows(outputPath);
    expect(out.columns).toEqual([...INPUT.split('\n')[0]!.split(','), 'prediction']);
    expect(out.rows.map((r) => r[0])).toEqual(['a', 'b', 'c']);
    const files = await env.tracker.downloadModel(training.modelUri, path.join(tmp, 'model'));
    const model = parseModel(await readFile(path.join(files, 'model.json'), 'utf8'), 'm');
    const expected = predict(model, [
      [8, 18.5, 0.55, 10, 1, 0, 1],
      [3, 9, 0.8, 20, 0, 0, 0],
      [17, 24, 0.4, 5, 1, 0, 1],
    ]);
    // exact for mlops_kit, to float32 precision for onnx
    out.rows.forEach((row, i) => expect(Math.abs(Number(row.at(-1)) - expected[i]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(expected[i]!))));
    // a commuter hour on a warm working day predicts more rentals than a cold night
    expect(Number(out.rows[2]!.at(-1))).toBeGreaterThan(Number(out.rows[1]!.at(-1)));
    expect(env.alerter.alerts.at(-1)).toEqual({ title: 'Inference Job Finished', message: `3 predictions from ${MODEL} v1`, level: 'info' });
  });

  it('loads a version by number', async () => {
    const { env } = await trained();
    await new TrainingJob(env.services, { KIND: 'TrainingJob', model: MODEL, epochs: 10, seed: 3 }).execute();
    const outputPath = path.join(tmp, 'v2.csv');
    const result = await new InferenceJob(env.services, { KIND: 'InferenceJob', modelUri: `models:/${MODEL}/2`, inputPath: path.join(tmp, 'input.csv'), outputPath }).execute();
    expect(result.version).toBe(2);
  });

  it('loads a logged model by models:/m-<id> and by runs:/<run>/model without asking the registry, scoring like the alias', async () => {
    const { env, training } = await trained();
    const score = async (modelUri: string, file: string) => {
      const outputPath = path.join(tmp, file);
      const result = await new InferenceJob(env.services, { KIND: 'InferenceJob', modelUri, inputPath: path.join(tmp, 'input.csv'), outputPath }).execute();
      return { result, predictions: (await readFile(outputPath, 'utf8')).split('\n').map((line) => line.split(',').at(-1)) };
    };
    const byAlias = await score(`models:/${MODEL}@Champion`, 'alias.csv');
    env.registryCalls.length = 0;
    const byId = await score(training.modelUri, 'id.csv');
    const byRun = await score(`runs:/${training.runId}/model`, 'run.csv');
    expect(env.registryCalls).toEqual([]);
    expect(byId.result).toMatchObject({ modelUri: training.modelUri, modelId: training.modelId, rows: 3 });
    expect(byId.result.version).toBeUndefined();
    expect(byRun.result).toMatchObject({ modelUri: `runs:/${training.runId}/model`, rows: 3 });
    expect(byId.predictions).toEqual(byAlias.predictions);
    expect(byRun.predictions).toEqual(byAlias.predictions);
  });

  it('scores in a tracked run: the input file as an inference dataset, the model URI as a param, the row count as a metric', async () => {
    const { env } = await trained();
    const result = await new InferenceJob(env.services, { KIND: 'InferenceJob', modelUri: `models:/${MODEL}@Champion`, inputPath: path.join(tmp, 'input.csv'), outputPath: path.join(tmp, 'o.csv') }).execute();
    const run = await env.tracker.getRun(result.runId);
    expect(run.info.status).toBe('FINISHED');
    expect(run.data.params).toMatchObject({ model_uri: `models:/${MODEL}@Champion`, model_version: '1' });
    expect(run.data.metrics.rows_scored?.value).toBe(3);
    const [input] = run.inputs!.datasetInputs;
    expect(input!.tags).toEqual({ 'mlflow.data.context': 'inference' });
    expect(input!.dataset).toMatchObject({ name: 'input', sourceType: 'local', digest: expect.stringMatching(/^[0-9a-f]{8}$/) });
    expect(JSON.parse(input!.dataset.source)).toEqual({ uri: expect.stringMatching(/^file:\/\/.*\/input\.csv$/) });
  });

  it('names a logged model that does not exist (MODEL_NOT_FOUND) and leaves no run behind', async () => {
    const env = memoryServices();
    const modelUri = `models:/m-${'0'.repeat(32)}`;
    const job = new InferenceJob(env.services, { KIND: 'InferenceJob', modelUri, inputPath: path.join(tmp, 'input.csv'), outputPath: path.join(tmp, 'o.csv') });
    const error = await rejectionOf(job.execute());
    expect(error.code).toBe(ErrorCodes.MODEL_NOT_FOUND);
    expect(error.message).toMatch(/^job\.modelUri models:\/m-0{32}: .*Check the id in job\.modelUri/);
    expect(env.tracker.runs()).toEqual([]);
  });

  it('names the alias and how to fix it when the alias does not exist', async () => {
    const { env } = await trained();
    const job = new InferenceJob(env.services, { KIND: 'InferenceJob', modelUri: `models:/${MODEL}@Staging`, inputPath: path.join(tmp, 'input.csv'), outputPath: path.join(tmp, 'o.csv') });
    const error = await rejectionOf(job.execute());
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.code).toBe(ErrorCodes.MODEL_ALIAS_NOT_FOUND);
    expect(error.message).toMatch(new RegExp(`^job.modelUri models:/${MODEL}@Staging: .*Promote a version first \\(PromotionJob with model: ${MODEL}, alias: Staging\\)\\.$`));
  });

  it('keeps the registry code for a missing version', async () => {
    const { env } = await trained();
    const job = new InferenceJob(env.services, { KIND: 'InferenceJob', modelUri: `models:/${MODEL}/7`, inputPath: path.join(tmp, 'input.csv'), outputPath: path.join(tmp, 'o.csv') });
    expect((await rejectionOf(job.execute())).code).toBe(ErrorCodes.MODEL_VERSION_NOT_FOUND);
  });

  it('reports a missing input file as a ConfigError before touching the registry', async () => {
    const env = memoryServices();
    const job = new InferenceJob(env.services, { KIND: 'InferenceJob', modelUri: `models:/${MODEL}/1`, inputPath: path.join(tmp, 'missing.csv'), outputPath: path.join(tmp, 'o.csv') });
    const error = await rejectionOf(job.execute());
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('job.inputPath:');
    expect(env.registryCalls).toEqual([]);
  });

  it('names the missing feature column of the input from its header alone (MODEL_INPUT_INVALID), before any run or output', async () => {
    const { env } = await trained();
    const runsBefore = env.tracker.runs().length;
    await writeFile(path.join(tmp, 'partial.csv'), 'hour,temperature\n');
    const job = new InferenceJob(env.services, { KIND: 'InferenceJob', modelUri: `models:/${MODEL}@Champion`, inputPath: path.join(tmp, 'partial.csv'), outputPath: path.join(tmp, 'o.csv') });
    const error = await rejectionOf(job.execute());
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe(ErrorCodes.MODEL_INPUT_INVALID);
    expect(error.message).toBe(
      `job.inputPath ${path.join(tmp, 'partial.csv')}: model input column "humidity" is missing (the model takes: ${FEATURES.join(', ')}); the file has: hour, temperature; add the column to the header.`,
    );
    expect(env.tracker.runs()).toHaveLength(runsBefore);
    expect(await readdir(tmp)).not.toContain('o.csv');
  });

  it('refuses a malformed model URI', async () => {
    const env = memoryServices();
    const job = new InferenceJob(env.services, { KIND: 'InferenceJob', modelUri: 'runs:/abc/model', inputPath: path.join(tmp, 'input.csv'), outputPath: path.join(tmp, 'o.csv') });
    const error = await rejectionOf(job.execute());
    expect(error.code).toBe(ErrorCodes.VALIDATION);
    expect(error.message).toMatch(/expected models:\/<name>\/<version>, models:\/<name>@<alias>, models:\/m-<logged model id> or runs:\/<run id>\/<path>/);
  });
});
