/**
 * @jest-environment ./tests/support/onnx-jest-environment.js
 */
import { createContainer, createRuntime, ErrorCodes, TYPES } from 'mlops-kit';
import { MemoryAlerter, MemoryLogger } from 'mlops-kit/testing';
import { MlflowTestServer } from '../../support/mlflow-server/mlflow-test-server';

/**
 * A predictor over a real (loopback) MLflow server, 3.x and 2.x, serving a model a TrainingJob trained:
 * it follows the alias through the server, and when the server goes away it keeps serving what it
 * loaded, saying so once.
 */
const ROW = { hour: 8, temperature: 14.5, humidity: 0.6, windspeed: 10, workingday: 1, holiday: 0, rush_hour: 1 };
type BikeRow = typeof ROW;

describe.each([
  { flavour: 'MLflow 3.x', options: {} },
  { flavour: 'MLflow 2.x', options: { flavour: { version: 2 as const } } },
])('a predictor on a loopback $flavour server', ({ options }) => {
  it('follows the alias through the server, and keeps serving when the server goes away', async () => {
    const server = await MlflowTestServer.start(options);
    const logger = new MemoryLogger();
    const container = createContainer({
      config: { tracking: { uri: server.uri, experimentName: 'predictor-mlflow', onUnavailable: 'fail', maxRetries: 0, timeoutSeconds: 2 } },
      overrides: { [TYPES.Logger]: logger, [TYPES.Alerter]: new MemoryAlerter() },
    });
    const runtime = createRuntime(container);
    await runtime.start();
    try {
      const registry = container.get(TYPES.ModelRegistry);
      const first = await runtime.run({ KIND: 'TrainingJob', model: 'bikes', epochs: 50, rows: 300, seed: 1 });
      const second = await runtime.run({ KIND: 'TrainingJob', model: 'bikes', epochs: 50, rows: 300, seed: 2 });
      await registry.setAlias('bikes', 'Champion', first.version!);

      const predictor = runtime.predictor<BikeRow, number>('models:/bikes@Champion', { refreshMs: 0 });
      const before = await predictor.predict([ROW]);
      expect(before).toMatchObject({ version: first.version, model: 'bikes', uri: `models:/bikes/${first.version}` });
      expect(before.modelId).toBe(first.modelId); // undefined on 2.x: no logged models
      expect(Number.isFinite(before.predictions[0])).toBe(true);

      await registry.setAlias('bikes', 'Champion', second.version!);
      await predictor.refresh();
      const after = await predictor.predict([ROW]);
      expect(after.version).toBe(second.version);
      expect(after.predictions[0]).not.toBe(before.predictions[0]); // another seed, another model

      await server.stop();
      for (let i = 0; i < 2; i++) await expect(predictor.refresh()).rejects.toMatchObject({ code: ErrorCodes.TRACKER_UNAVAILABLE });
      expect(await predictor.predict([ROW])).toEqual(after); // served from memory
      expect(predictor.status()).toMatchObject({ version: second.version, lastError: { code: ErrorCodes.TRACKER_UNAVAILABLE } });
      const warnings = logger.entries.filter((e) => e.source === 'predictor' && e.level === 'warn').map((e) => e.message);
      expect(warnings).toEqual([expect.stringMatching(new RegExp(`^Predictor models:/bikes@Champion: TRACKER_UNAVAILABLE: .+ \\(still serving version ${second.version}\\)$`))]);
      expect(warnings[0]).not.toContain('\n');
    } finally {
      await runtime.close();
      await server.stop();
    }
  }, 60_000);
});
