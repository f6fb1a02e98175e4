/**
 * @jest-environment ./tests/support/onnx-jest-environment.js
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createContainer, createRuntime, TYPES } from 'mlops-kit';
import { MemoryAlerter, MemoryLogger } from 'mlops-kit/testing';
import { MlflowTestServer } from '../../support/mlflow-server';
import { runSync, serverRunFor } from './sync-harness';

/**
 * Issue #12's "sync carries them": a model trained into the local store (a logged model, a dataset input,
 * a registered version whose source is `models:/m-<local id>`, an alias) reaches a server as MLflow
 * understands it there — a logged model on 3.x, run artifacts on 2.x — and the version's source names
 * the model's new home, so an InferenceJob against the server loads it by alias. A second sync sends
 * nothing new.
 */
describe.each([3, 2] as const)('mlops-kit sync of models and lineage to an MLflow %i.x server', (version) => {
  let server: MlflowTestServer;
  let dir: string;
  beforeAll(async () => {
    server = await MlflowTestServer.start({ flavour: { version } });
    dir = await mkdtemp(path.join(os.tmpdir(), 'sync-lineage-'));
  });
  afterAll(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const runtimeOn = (uri: string) => {
    const container = createContainer({
      config: { tracking: { uri, experimentName: 'lineage', onUnavailable: 'fail' } },
      overrides: { [TYPES.Logger]: new MemoryLogger(), [TYPES.Alerter]: new MemoryAlerter() },
    });
    return { container, runtime: createRuntime(container) };
  };

  it('carries the logged model, the dataset input and the version source; loads by alias on the server; idempotent', async () => {
    const root = path.join(dir, 'mlruns');
    const local = runtimeOn(root);
    await local.runtime.start();
    const trained = await local.runtime.run({ KIND: 'TrainingJob', model: 'lineage-model', epochs: 40, rows: 120 });
    await local.runtime.run({ KIND: 'PromotionJob', model: 'lineage-model', alias: 'Champion' });
    await local.runtime.close();
    expect(trained.modelUri).toMatch(/^models:\/m-/);

    const first = await runSync(root, { to: server.uri });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('lineage      1 dataset inputs, 1 logged models sent');
    const target = serverRunFor(server, trained.runId);

    const remote = runtimeOn(server.uri);
    await remote.runtime.start();
    try {
      const tracker = remote.container.get(TYPES.Tracker);
      const run = await tracker.getRun(target.id);
      expect(run.inputs?.datasetInputs.map((i) => i.tags['mlflow.data.context'])).toEqual(['training']);
      const versionOnServer = await remote.container.get(TYPES.ModelRegistry).getVersionByAlias('lineage-model', 'Champion');
      if (version === 3) {
        expect(versionOnServer.source).toMatch(/^models:\/m-[0-9a-f]{32}$/);
        expect(versionOnServer.source).not.toBe(trained.modelUri); // the server's own id, not the store's
        expect(run.outputs?.modelOutputs).toHaveLength(1);
      } else {
        expect(versionOnServer.source).toBe(`runs:/${target.id}/model`);
      }
      const files = await tracker.downloadModel(versionOnServer.source, path.join(dir, `v${version}-model`));
      const mlmodel = await readFile(path.join(files, 'MLmodel'), 'utf8');
      expect(mlmodel).toContain('mlops_kit:');
      expect(mlmodel).toContain('"name": "hour"');

      const input = path.join(dir, 'in.csv');
      await writeFile(input, 'hour,temperature,humidity,windspeed,workingday,holiday,rush_hour\n8,14,0.6,10,1,0,1\n');
      const scored = await remote.runtime.run({ KIND: 'InferenceJob', modelUri: 'models:/lineage-model@Champion', inputPath: input, outputPath: path.join(dir, `out-${version}.csv`) });
      expect(scored.rows).toBe(1);
    } finally {
      await remote.runtime.close();
    }

    const modelsBefore = server.requestsTo('logged-models').length + server.requestsTo('runs/log-inputs').length;
    const second = await runSync(root, { to: server.uri });
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain('lineage ');
    expect(server.requestsTo('logged-models').length + server.requestsTo('runs/log-inputs').length).toBe(modelsBefore);
  }, 90_000);
});
