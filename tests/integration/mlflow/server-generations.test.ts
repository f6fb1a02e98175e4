import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ErrorCodes, NotFoundError } from '../../../src/domain/errors';
import { MemoryLogger } from '../../../src/infrastructure/logging';
import { MlflowModelRegistry, MlflowTracker, resolveMlflowSettings } from '../../../src/infrastructure/tracking/mlflow';
import { MlflowTestServer } from '../../support/mlflow-server';

/**
 * The MLflow adapter against both server generations the loopback server emulates (3.x by default, 2.x
 * behind the switch): where they differ (shared/docs/mlflow-rest.md), the adapter follows the server it
 * is connected to, and asks which one it is only once per server.
 */
describe.each([2, 3] as const)('MlflowTracker against an MLflow %i.x server', (version) => {
  let server: MlflowTestServer;
  let dir: string;
  beforeEach(async () => {
    server = await MlflowTestServer.start({ flavour: { version, sqlStore: true } });
    dir = await mkdtemp(path.join(os.tmpdir(), 'mlflow-generations-'));
  });
  afterEach(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const settings = () => resolveMlflowSettings({ uri: server.uri, maxRetries: 2, backoffFactor: 0.01, backoffJitter: 0 }, {});

  it(`cuts tag values where this server does (${version === 2 ? 5000 : 8000}), with one warning naming the limit; asks the generation once per server`, async () => {
    const logger = new MemoryLogger();
    const shared = settings();
    const tracker = new MlflowTracker(shared, { logger });
    const registry = new MlflowModelRegistry(shared, { logger });
    const second = new MlflowTracker(shared, { logger });
    await tracker.start();
    await registry.start();
    await second.start();
    const limit = version === 2 ? 5000 : 8000;
    const { runId } = await tracker.createRun({ description: 'd'.repeat(9000) });
    await tracker.setTag(runId, 'long', 'x'.repeat(9000));
    await tracker.flush(runId);
    const batch = server.requestsTo('runs/log-batch')[0]!.body as { tags: { value: string }[] };
    expect(batch.tags[0]!.value).toHaveLength(limit);
    const created = server.requestsTo('runs/create')[0]!.body as { tags: { key: string; value: string }[] };
    expect(created.tags.find((t) => t.key === 'mlflow.note.content')!.value).toHaveLength(limit);
    const warnings = logger.messages('warn').filter((m) => /truncated/.test(m));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`MLflow keeps at most ${limit}`);
    expect(server.requestsTo('logged-models/search')).toHaveLength(1);
    await second.stop();
    await registry.stop();
    await tracker.stop();
  });

  it('getMetricHistory always sends max_results and follows next_page_token (3.x answers nothing without it)', async () => {
    server.historyPageLimit = 3;
    const tracker = new MlflowTracker(settings());
    await tracker.start();
    const { runId } = await tracker.createRun();
    for (let step = 0; step < 7; step++) void tracker.logMetric(runId, 'loss', step, { step });
    expect((await tracker.getMetricHistory(runId, 'loss')).map((m) => m.step)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const pages = server.requestsTo('metrics/get-history');
    expect(pages).toHaveLength(3);
    for (const page of pages) expect(Number(page.query.get('max_results'))).toBeGreaterThan(0);
    await tracker.stop();
  });

  it('a missing artifact is ARTIFACT_NOT_FOUND within a second, even with the default retry budget (the server answers 500 for it)', async () => {
    const tracker = new MlflowTracker(resolveMlflowSettings({ uri: server.uri }, {}));
    await tracker.start();
    const { runId } = await tracker.createRun();
    const file = path.join(dir, 'weights.bin');
    await writeFile(file, 'w');
    await tracker.logArtifact(runId, file, 'model');
    const began = Date.now();
    const missing = await tracker.downloadArtifact(runId, 'model/missing.bin', path.join(dir, 'out')).catch((e: unknown) => e);
    const other = await tracker.downloadArtifact(runId, 'nowhere/at/all.txt', path.join(dir, 'out')).catch((e: unknown) => e);
    expect(Date.now() - began).toBeLessThan(1_000);
    for (const error of [missing, other]) {
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as NotFoundError).code).toBe(ErrorCodes.ARTIFACT_NOT_FOUND);
    }
    expect(await tracker.downloadArtifact(runId, 'model/weights.bin', path.join(dir, 'out'))).toBe(path.join(dir, 'out', 'model', 'weights.bin'));
    await tracker.endRun(runId);
    await tracker.stop();
  });

  it('accepts the clamped ±Infinity a SQL store answers, and sends no Origin header (3.x refuses a foreign one)', async () => {
    const tracker = new MlflowTracker(settings());
    await tracker.start();
    const { runId } = await tracker.createRun();
    await tracker.logMetrics(runId, { up: Infinity, down: -Infinity });
    expect((await tracker.getMetricHistory(runId, 'up'))[0]!.value).toBe(Number.MAX_VALUE);
    expect((await tracker.getRun(runId)).data.metrics.down!.value).toBe(-Number.MAX_VALUE);
    await tracker.endRun(runId);
    await tracker.stop();
    expect(server.requests.filter((r) => r.headers.origin !== undefined)).toEqual([]);
  });
});
