import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InferenceJob } from '../../../src/application/jobs/inference-job';
import { TrainingJob } from '../../../src/application/jobs/training-job';
import { parseCsv } from '../../../src/application/training/csv';
import { parseModel, predict } from '../../../src/application/training/linear-model';
import { ConfigError, ErrorCodes, NotFoundError } from '../../../src/domain/errors';
import { memoryServices, rejectionOf } from './job-services';

const MODEL = 'bike-demand';
const INPUT = [
  'id,hour,temperature,humidity,windspeed,workingday,holiday,rush_hour',
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
    expect(result).toEqual({ model: MODEL, version: 1, rows: 3, outputPath });

    const out = parseCsv(await readFile(outputPath, 'utf8'), outputPath);
    expect(out.columns).toEqual([...INPUT.split('\n')[0]!.split(','), 'prediction']);
    expect(out.rows.map((r) => r[0])).toEqual(['a', 'b', 'c']);
    const model = parseModel(env.tracker.artifact(training.runId, 'model/model.json')!.toString('utf8'), 'm');
    const expected = predict(model, [
      [8, 18.5, 0.55, 10, 1, 0, 1],
      [3, 9, 0.8, 20, 0, 0, 0],
      [17, 24, 0.4, 5, 1, 0, 1],
    ]);
    out.rows.forEach((row, i) => expect(Number(row.at(-1))).toBeCloseTo(expected[i]!, 3));
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

  it('names the missing feature column of the input', async () => {
    const { env } = await trained();
    await writeFile(path.join(tmp, 'partial.csv'), 'hour,temperature\n8,20\n');
    const job = new InferenceJob(env.services, { KIND: 'InferenceJob', modelUri: `models:/${MODEL}@Champion`, inputPath: path.join(tmp, 'partial.csv'), outputPath: path.join(tmp, 'o.csv') });
    const error = await rejectionOf(job.execute());
    expect(error.message).toMatch(/partial\.csv: missing column "humidity" \(columns: hour, temperature\); add it to the header\.$/);
  });

  it('refuses a malformed model URI', async () => {
    const env = memoryServices();
    const job = new InferenceJob(env.services, { KIND: 'InferenceJob', modelUri: 'runs:/abc/model', inputPath: path.join(tmp, 'input.csv'), outputPath: path.join(tmp, 'o.csv') });
    const error = await rejectionOf(job.execute());
    expect(error.code).toBe(ErrorCodes.VALIDATION);
    expect(error.message).toMatch(/expected models:\/<name>\/<version> or models:\/<name>@<alias>/);
  });
});
