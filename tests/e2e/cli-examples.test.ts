import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { runCli } from '../support/cli';
import { MlflowTestServer } from '../support/mlflow-server';
import { startS3rver, type S3rverHandle } from '../support/s3rver';

const example = (name: string) => path.resolve(__dirname, '../../examples', name);
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!);

/** Every example config, run as the README says, by the built CLI in a child process. */
describe('examples/*.yaml through the CLI', () => {
  let dir: string;
  let store: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-examples-'));
    store = path.join(dir, 'mlruns');
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const run = (file: string, ...sets: string[]) =>
    runCli(['run', example(file), '--set', `tracking.uri=${store}`, ...sets.flatMap((s) => ['--set', s])], { cwd: dir });

  it('training → promotion → inference → experiment on the local store, each exit 0', async () => {
    const trained = await run('training.yaml', 'job.epochs=30');
    expect(trained.code).toBe(0);
    expect(lastJson(trained.stdout)).toMatchObject({ kind: 'TrainingJob', model: 'bike-demand', version: 1 });

    const promoted = await run('promotion.yaml');
    expect(promoted.code).toBe(0);
    expect(lastJson(promoted.stdout)).toMatchObject({ kind: 'PromotionJob', model: 'bike-demand', version: 1, alias: 'Champion' });
    expect(await readFile(path.join(store, 'models', 'bike-demand', 'aliases', 'Champion'), 'utf8')).toBe('1');

    const output = path.join(dir, 'predictions.csv');
    const scored = await run('inference.yaml', `job.inputPath=${example('data/bike-demand-sample.csv')}`, `job.outputPath=${output}`);
    expect(scored.code).toBe(0);
    const lines = (await readFile(output, 'utf8')).trim().split('\n');
    expect(lines[0]).toContain('prediction');
    expect(lines.length - 1).toBe(lastJson(scored.stdout).rows);

    const swept = await run('experiment.yaml', 'job.base.epochs=20', 'job.concurrency=2');
    expect(swept.code).toBe(0);
    expect(lastJson(swept.stdout)).toMatchObject({ kind: 'ExperimentJob', total: 6, succeeded: 6, failed: 0 });
  });

  it('promotion.yaml with a gate from --set: a refused promotion exits 0 saying why; bad gate input exits 2 naming the key', async () => {
    const gated = (...sets: string[]) => run('promotion.yaml', 'job.model=gated', ...sets);
    const gate = [`job.gate.dataPath=${example('data/bike-demand-holdout.csv')}`, 'job.gate.target=demand', 'job.gate.metric=rmse'];
    expect((await run('training.yaml', 'job.model=gated', 'job.epochs=200')).code).toBe(0);
    expect((await gated()).code).toBe(0);
    expect((await run('training.yaml', 'job.model=gated', 'job.epochs=1')).code).toBe(0);
    const aliasFile = path.join(store, 'models', 'gated', 'aliases', 'Champion');

    const refused = await gated(...gate);
    expect(refused.code).toBe(0);
    expect(lastJson(refused.stdout)).toMatchObject({ kind: 'PromotionJob', version: 2, previousVersion: 1, promoted: false, gate: { metric: 'rmse', holderVersion: 1 } });
    expect(lastJson(refused.stdout).reason).toMatch(/^Version 2 does not beat version 1 \(@Champion\): rmse /);
    expect(await readFile(aliasFile, 'utf8')).toBe('1');

    const badMetric = await gated(...gate, 'job.gate.metric=mape');
    expect(badMetric.code).toBe(2);
    expect(badMetric.stderr).toMatch(/--set: job\.gate\.metric: "mape" is not allowed\. Did you mean "mae"\?/);
    const missing = await gated(...gate, 'job.gate.dataPath=nope.csv');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/CONFIG_BAD_PATH: .*job\.gate\.dataPath: file "nope\.csv" not found/);
    expect(await readFile(aliasFile, 'utf8')).toBe('1');
  });

  it('promotion of a model that does not exist fails the job (exit 1) with MODEL_NOT_FOUND', async () => {
    const result = await run('promotion.yaml', 'job.model=no-such-model');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/MODEL_NOT_FOUND: Registered model "no-such-model" does not exist/);
  });

  it('a reserved alias is a config error (exit 2) before anything starts', async () => {
    const result = await run('promotion.yaml', 'job.alias=latest');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/job\.alias/);
    expect(result.stderr).toMatch(/reserved/);
  });
});

describe('examples/remote-mlflow.yaml: an MLflow server with S3 artifacts (loopback server + s3rver)', () => {
  let server: MlflowTestServer;
  let s3: S3rverHandle;
  let dir: string;
  beforeAll(async () => {
    s3 = await startS3rver('mlflow');
    server = await MlflowTestServer.start({ artifactRoot: 's3://mlflow/artifacts' });
    dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-remote-'));
  });
  afterAll(async () => {
    await server.stop();
    await s3.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('trains, uploads the model to S3 and registers it on the server', async () => {
    const secret = 'S3RVER';
    const result = await runCli(['run', example('remote-mlflow.yaml'), '--set', 'job.epochs=20', '--profile', 'production'], {
      cwd: dir,
      env: {
        MLFLOW_TRACKING_URI: server.uri,
        MLFLOW_S3_ENDPOINT_URL: s3.endpoint,
        AWS_ACCESS_KEY_ID: s3.accessKeyId,
        AWS_SECRET_ACCESS_KEY: secret,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
    expect(result.stderr).not.toMatch(/"level":"error"/);
    expect(result.code).toBe(0);
    const { runId, version, modelId } = lastJson(result.stdout);
    expect(version).toBe(1);
    const run = server.store.runs.get(runId)!;
    expect(run.artifactUri).toMatch(/^s3:\/\/mlflow\/artifacts\//);
    // the model is a logged model: its files under the experiment's location, models/<id>/artifacts
    // read the object back from S3 with the SDK, as any other MLflow client would

    const client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: secret } });
    const object = await client.send(new GetObjectCommand({ Bucket: 'mlflow', Key: `${run.artifactUri.replace('s3://mlflow/', '').replace(/\/[0-9a-f]{32}\/artifacts$/, '')}/models/${modelId}/artifacts/model.json` }));
    const model = JSON.parse(await object.Body!.transformToString());
    expect(model).toHaveProperty('weights');
    client.destroy();
    expect(server.store.models.get('bike-demand')!.versions[0]!.source).toBe(`models:/${modelId}`);
  });
});
