import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { IModelRegistry } from '../../src/domain/ports/model-registry';
import type { ITracker } from '../../src/domain/ports/tracker';
import { TYPES } from '../../src/domain/tokens';
import { createContainer } from '../../src/infrastructure/container';
import { MemoryLogger } from '../../src/infrastructure/logging';
import { MlflowTestServer } from '../support/mlflow-server';

/**
 * Every tracking backend survives stop → start (an app's runtime starts and stops its services, and may
 * do so again): after a restart the same tracker and registry objects log, read and register as before,
 * and a run left open before the first stop was marked KILLED by it.
 */
describe.each(['memory', 'local', 'noop', 'mlflow (spill)', 'mlflow (fail)'])('%s tracker and registry: stop → start', (backend) => {
  let dir: string;
  let server: MlflowTestServer | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-restart-'));
    if (backend.startsWith('mlflow')) server = await MlflowTestServer.start();
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  const compose = () => {
    const uri = backend === 'memory' ? 'memory:' : backend === 'local' ? path.join(dir, 'mlruns') : backend === 'noop' ? 'noop' : server!.uri;
    const tracking = { uri, onUnavailable: backend === 'mlflow (fail)' ? ('fail' as const) : ('spill' as const), maxRetries: 1, backoffFactor: 0.01, backoffJitter: 0 };
    const container = createContainer({ config: { tracking, job: { KIND: 'ExampleJob' } }, env: {}, cwd: dir, overrides: { [TYPES.Logger]: new MemoryLogger() } });
    return { tracker: container.get<ITracker>(TYPES.Tracker), registry: container.get<IModelRegistry>(TYPES.ModelRegistry) };
  };

  it('logs, reads and registers again after a restart', async () => {
    const { tracker, registry } = compose();
    const round = async (n: number): Promise<string> => {
      await tracker.start();
      await registry.start();
      const run = await tracker.createRun({ runName: `round-${n}` });
      await tracker.logMetric(run.runId, 'loss', n, { step: n });
      await tracker.logParam(run.runId, 'round', n);
      if (backend !== 'noop') expect((await tracker.getMetricHistory(run.runId, 'loss')).map((m) => m.value)).toEqual([n]);
      await registry.createRegisteredModel('restart-model');
      await registry.createModelVersion({ name: 'restart-model', source: `runs:/${run.runId}/model`, runId: run.runId });
      await registry.stop();
      await tracker.stop(); // the run is still open: marked KILLED
      return run.runId;
    };
    const first = await round(1);
    const second = await round(2);
    expect(second).not.toBe(first);
    if (backend === 'noop') return;
    await tracker.start();
    await registry.start();
    expect((await tracker.getRun(first)).info.status).toBe('KILLED');
    expect((await tracker.getRun(second)).data.params).toEqual({ round: '2' });
    expect((await registry.getLatestVersion('restart-model'))?.version).toBe(2);
    await registry.stop();
    await tracker.stop();
  }, 30_000);
});
