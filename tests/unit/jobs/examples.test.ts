import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Job } from '../../../src/application/jobs/job';
import { ExperimentJob } from '../../../src/application/jobs/experiment-job';
import { InferenceJob } from '../../../src/application/jobs/inference-job';
import { PromotionJob, type PromotionResult } from '../../../src/application/jobs/promotion-job';
import { TrainingJob } from '../../../src/application/jobs/training-job';
import { ErrorCodes } from '../../../src/domain/errors';
import { loadConfig } from '../../../src/infrastructure/config/load';
import { memoryServices, rejectionOf } from './job-services';

const ROOT = path.resolve(__dirname, '../../..');
const example = (name: string) => path.join(ROOT, 'examples', name);
const quiet = { isTTY: false, write: () => true };

function load(file: string, sets: string[] = [], env: Record<string, string> = {}) {
  return loadConfig({ files: [example(file)], sets, env, envFile: false, cwd: ROOT }).config;
}

function jobFor(services: ReturnType<typeof memoryServices>['services'], job: { KIND: string }): Job {
  switch (job.KIND) {
    case 'TrainingJob':
      return new TrainingJob(services, job as never);
    case 'PromotionJob':
      return new PromotionJob(services, job as never);
    case 'InferenceJob':
      return new InferenceJob(services, job as never);
    case 'ExperimentJob':
      return new ExperimentJob(services, job as never, { progressStream: quiet });
    default:
      throw new Error(`unexpected KIND ${job.KIND}`);
  }
}

describe('examples/', () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'examples-test-'));
  });
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('training → promotion → inference run as written (against in-memory tracking)', async () => {
    const env = memoryServices();
    const training = load('training.yaml');
    expect(training.tracking.uri).toBe('./mlruns');
    const trained = await jobFor(env.services, training.job).execute();
    expect(trained).toMatchObject({ model: 'bike-demand', version: 1 });

    const promoted = await jobFor(env.services, load('promotion.yaml').job).execute();
    expect(promoted).toEqual({ model: 'bike-demand', version: 1, alias: 'Champion', dryRun: false, promoted: true, reason: 'No gate: version 1 takes @Champion.' });

    const outputPath = path.join(tmp, 'predictions.csv');
    const inference = load('inference.yaml', [`job.outputPath=${outputPath}`]);
    const scored = await jobFor(env.services, inference.job).execute();
    expect(scored).toMatchObject({ model: 'bike-demand', version: 1, rows: 8, outputPath });
    const lines = (await readFile(outputPath, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('id,hour,temperature,humidity,windspeed,workingday,holiday,rush_hour,prediction');
    expect(lines).toHaveLength(9);
  });

  it('promotion-gate.yaml: the threshold decides the first promotion, then a weaker version is refused and a stronger one promoted', async () => {
    const env = memoryServices();
    await jobFor(env.services, load('training.yaml').job).execute();
    const first = (await jobFor(env.services, load('promotion-gate.yaml').job).execute()) as PromotionResult;
    expect(first).toMatchObject({ version: 1, promoted: true, gate: { metric: 'rmse', mustBeat: 'Champion' } });
    expect(first.reason).toMatch(/^No version holds @Champion; version 1 meets the threshold \(rmse [\d.]+ ≤ threshold 60\)\.$/);

    await jobFor(env.services, load('training.yaml', ['job.epochs=2']).job).execute();
    const weaker = (await jobFor(env.services, load('promotion-gate.yaml').job).execute()) as PromotionResult;
    expect(weaker).toMatchObject({ version: 2, previousVersion: 1, promoted: false, gate: { holderVersion: 1 } });
    await jobFor(env.services, load('training.yaml', ['job.epochs=600']).job).execute();
    const stronger = (await jobFor(env.services, load('promotion-gate.yaml').job).execute()) as PromotionResult;
    expect(stronger).toMatchObject({ version: 3, previousVersion: 1, promoted: true });
    expect(env.store.aliases('bike-demand')).toEqual({ Champion: 3 });
  });

  it('experiment.yaml runs its grid of 6 branches', async () => {
    const env = memoryServices();
    const result = await jobFor(env.services, load('experiment.yaml').job).execute();
    expect(result).toMatchObject({ total: 6, succeeded: 6, failed: 0, skipped: 0 });
  });

  it('remote-mlflow.yaml takes the server and S3 settings from the environment', () => {
    const config = load('remote-mlflow.yaml', [], {
      MLFLOW_TRACKING_URI: 'https://mlflow.example.com',
      MLFLOW_S3_ENDPOINT_URL: 'http://127.0.0.1:9000',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'example-secret-value',
    });
    expect(config.tracking).toMatchObject({
      uri: 'https://mlflow.example.com',
      experimentName: 'mlops-kit-demo',
      onUnavailable: 'fail',
      s3: { endpointUrl: 'http://127.0.0.1:9000', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example-secret-value', region: 'us-east-1', ignoreTls: false },
    });
    expect(config.tracking.username).toBeUndefined();
    expect(config.tracking.token).toBeUndefined();
    expect(config.job).toMatchObject({ KIND: 'TrainingJob', model: 'bike-demand' });
  });

  it('remote-mlflow.yaml names the missing variable when MLFLOW_TRACKING_URI is unset', async () => {
    const error = await rejectionOf((async () => load('remote-mlflow.yaml'))());
    expect(error.code).toBe(ErrorCodes.CONFIG_MISSING_ENV);
    expect(error.message).toContain('tracking.uri: environment variable MLFLOW_TRACKING_URI is not set');
  });
});
