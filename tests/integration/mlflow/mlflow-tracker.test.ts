import { ErrorCodes, TrackerUnavailableError, ValidationError } from '../../../src/domain/errors';
import { MemoryLogger } from '../../../src/infrastructure/logging';
import { MlflowTracker } from '../../../src/infrastructure/tracking/mlflow';
import { fastSettings } from '../../support/mlflow-server/client-settings';
import { MlflowTestServer } from '../../support/mlflow-server';

type Body = Record<string, unknown> & { tags?: { key: string; value: string }[] };
const tagsOf = (body: unknown): Record<string, string> => Object.fromEntries(((body as Body).tags ?? []).map((t) => [t.key, t.value]));

describe('MlflowTracker against a loopback MLflow server', () => {
  let server: MlflowTestServer;
  const trackers: MlflowTracker[] = [];
  const make = (env: Record<string, string> = {}, logger?: MemoryLogger): MlflowTracker => {
    const tracker = new MlflowTracker(fastSettings(server, {}, env), { logger, batcher: { flushIntervalMs: 10_000 } });
    trackers.push(tracker);
    return tracker;
  };

  beforeEach(async () => {
    server = await MlflowTestServer.start();
  });
  afterEach(async () => {
    for (const t of trackers.splice(0)) await t.stop().catch(() => undefined);
    await server.stop();
  });

  describe('start()', () => {
    it('looks the experiment up by name and creates it when missing', async () => {
      const tracker = make({ MLFLOW_EXPERIMENT_NAME: 'churn' });
      await tracker.start();
      // the store's first contact (a short probe), once per server which MLflow generation answers (for
      // the tag limit), then the client's lookup of its experiment
      expect(server.requests.map((r) => `${r.method} ${r.route}`)).toEqual([
        'GET experiments/get-by-name', 'POST logged-models/search', 'GET experiments/get-by-name', 'POST experiments/create',
      ]);
      expect(server.requests[2]!.query.get('experiment_name')).toBe('churn');
      expect(tracker.defaultExperimentId).toBe(server.store.experimentByName('churn')!.id);
      await tracker.start(); // idempotent
      expect(server.requests).toHaveLength(4);
    });

    it('uses the "Default" experiment (id 0) when none is configured', async () => {
      const tracker = make();
      await tracker.start();
      expect(tracker.defaultExperimentId).toBe('0');
      expect(server.requestsTo('experiments/create')).toHaveLength(0);
    });

    it('is race-safe: two trackers starting at once end up in ONE experiment', async () => {
      // both lookups are held until both arrived, so both miss and both try to create
      server.gate(2, 'experiments/get-by-name');
      const [a, b] = [make({ MLFLOW_EXPERIMENT_NAME: 'shared' }), make({ MLFLOW_EXPERIMENT_NAME: 'shared' })];
      await Promise.all([a.start(), b.start()]);
      expect(server.requestsTo('experiments/create')).toHaveLength(2);
      expect([...server.store.experiments.values()].filter((e) => e.name === 'shared')).toHaveLength(1);
      expect(a.defaultExperimentId).toBe(b.defaultExperimentId);
    });

    it('fails with TrackerUnavailableError naming the URI when the server cannot be reached', async () => {
      const port = new URL(server.uri).port;
      await server.stop();
      const tracker = new MlflowTracker(fastSettings(`http://ana:hunter22@127.0.0.1:${port}`, { maxRetries: 1 }));
      trackers.push(tracker);
      const error = await tracker.start().catch((e: unknown) => e);
      server = await MlflowTestServer.start();
      expect(error).toBeInstanceOf(TrackerUnavailableError);
      expect((error as Error).message).toContain(`http://127.0.0.1:${port}`);
      expect((error as Error).message).not.toContain('hunter22');
      expect((error as Error).message).not.toContain('ana:');
    });
  });

  it('createRun sends run name, start time and the MLflow tags (name, note, parent, user)', async () => {
    const tracker = make();
    await tracker.start();
    const parent = await tracker.createRun({ runName: 'parent' });
    const child = await tracker.createRun({ runName: 'child', description: 'tuning', parentRunId: parent.runId, tags: { team: 'risk' }, startTime: 1234 });
    const body = server.requestsTo('runs/create')[1]!.body as Body;
    expect(body).toMatchObject({ experiment_id: '0', run_name: 'child', start_time: 1234 });
    expect(tagsOf(body)).toMatchObject({ 'mlflow.runName': 'child', 'mlflow.note.content': 'tuning', 'mlflow.parentRunId': parent.runId, team: 'risk' });
    expect(tagsOf(body)['mlflow.user']).toBeTruthy();
    expect(child).toMatchObject({ runName: 'child', status: 'RUNNING', startTime: 1234, artifactUri: `mlflow-artifacts:/0/${child.runId}/artifacts` });
  });

  it('delivers metrics, params and tags through runs/log-batch, in order, flushed by reads', async () => {
    const tracker = make();
    await tracker.start();
    const { runId } = await tracker.createRun();
    for (let step = 0; step < 5; step++) await tracker.logMetric(runId, 'loss', 1 / (step + 1), { step, timestamp: 1000 + step });
    await tracker.logParams(runId, { lr: 0.01, layers: 3 });
    await tracker.setTag(runId, 'stage', 'train');
    expect(server.requestsTo('runs/log-batch')).toHaveLength(0); // buffered
    const run = await tracker.getRun(runId);
    const batches = server.requestsTo('runs/log-batch');
    expect(batches).toHaveLength(1);
    expect(batches[0]!.body).toMatchObject({ run_id: runId, params: [{ key: 'lr', value: '0.01' }, { key: 'layers', value: '3' }], tags: [{ key: 'stage', value: 'train' }] });
    expect(((batches[0]!.body as Body).metrics as { step: number }[]).map((m) => m.step)).toEqual([0, 1, 2, 3, 4]);
    expect(server.requestsTo('runs/log-metric')).toHaveLength(0);
    expect(run.data.metrics.loss).toEqual({ key: 'loss', value: 0.2, step: 4, timestamp: 1004 });
  });

  it('retries a log-batch answered 503 and delivers it once the server recovers', async () => {
    const tracker = make();
    await tracker.start();
    const { runId } = await tracker.createRun();
    await tracker.logMetric(runId, 'acc', 0.9);
    server.failNext(2, { status: 503, match: 'runs/log-batch' });
    await tracker.flush(runId);
    expect(server.requestsTo('runs/log-batch')).toHaveLength(3);
    expect(server.store.runs.get(runId)!.metrics.map((m) => m.value)).toEqual([0.9]);
  });

  it('validates keys and values at the call site, before any request', async () => {
    const tracker = make();
    await tracker.start();
    const { runId } = await tracker.createRun();
    const before = server.requests.length;
    const fail = (call: () => Promise<unknown>): Promise<unknown> => Promise.resolve().then(call).then(() => undefined, (e: unknown) => e);
    expect(await fail(() => tracker.logMetric(runId, 'bad key!', 1))).toMatchObject({ code: ErrorCodes.INVALID_KEY });
    expect(await fail(() => tracker.logParam(runId, '/abs', 'x'))).toMatchObject({ code: ErrorCodes.INVALID_KEY });
    expect(await fail(() => tracker.setTags(runId, { ok: 'x', 'a//b': 'y' }))).toMatchObject({ code: ErrorCodes.INVALID_KEY });
    expect(await fail(() => tracker.getMetricHistory(runId, 'x'.repeat(251)))).toMatchObject({ code: ErrorCodes.INVALID_KEY });
    expect(await fail(() => tracker.logMetric(runId, 'flag', true as unknown as number))).toBeInstanceOf(ValidationError);
    expect(await fail(() => tracker.logMetric(runId, 'm', 1, { step: 1.5 }))).toBeInstanceOf(ValidationError);
    expect(await fail(() => tracker.logMetric('../runs', 'm', 1))).toBeInstanceOf(ValidationError);
    await tracker.flush();
    expect(server.requests.length).toBe(before);
  });

  it('truncates params to 6000 and tags to 8000 characters (an MLflow 3.x server), warning once per kind per tracker', async () => {
    const logger = new MemoryLogger();
    const tracker = make({}, logger);
    await tracker.start();
    const { runId } = await tracker.createRun();
    await tracker.logParam(runId, 'a', 'x'.repeat(7000));
    await tracker.logParam(runId, 'b', 'y'.repeat(6001));
    await tracker.setTag(runId, 't1', 'z'.repeat(9000));
    await tracker.setTag(runId, 't2', 'z'.repeat(8001));
    await tracker.flush(runId);
    const body = server.requestsTo('runs/log-batch')[0]!.body as { params: { value: string }[]; tags: { value: string }[] };
    expect(body.params.map((p) => p.value.length)).toEqual([6000, 6000]);
    expect(body.tags.map((t) => t.value.length)).toEqual([8000, 8000]);
    const warnings = logger.messages('warn').filter((m) => /truncated/.test(m));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/param "a" is 7000 characters; MLflow keeps at most 6000/);
    expect(warnings[1]).toMatch(/tag "t1" is 9000 characters; MLflow keeps at most 8000/);
  });

  it('getMetricHistory follows next_page_token until the last page', async () => {
    server.historyPageLimit = 2;
    const tracker = make();
    await tracker.start();
    const { runId } = await tracker.createRun();
    for (let step = 0; step < 5; step++) await tracker.logMetric(runId, 'm', step, { step });
    const history = await tracker.getMetricHistory(runId, 'm');
    expect(history.map((m) => m.value)).toEqual([0, 1, 2, 3, 4]);
    const pages = server.requestsTo('metrics/get-history');
    expect(pages).toHaveLength(3);
    expect(pages[0]!.query.get('page_token')).toBeNull();
    expect(pages[1]!.query.get('page_token')).toBeTruthy();
  });

  it('searchRuns posts experiment_ids, filter, order_by list and page token', async () => {
    const tracker = make();
    await tracker.start();
    await tracker.searchRuns({ experimentIds: ['0'], filter: "tags.team = 'a'", orderBy: ['metrics.rmse ASC', 'start_time DESC'], maxResults: 10, pageToken: undefined });
    expect(server.requestsTo('runs/search')[0]!.body).toEqual({ experiment_ids: ['0'], filter: "tags.team = 'a'", max_results: 10, order_by: ['metrics.rmse ASC', 'start_time DESC'] });
  });

  it('endRun delivers the run\'s values before runs/update', async () => {
    const tracker = make();
    await tracker.start();
    const { runId } = await tracker.createRun();
    await tracker.logMetric(runId, 'm', 1);
    await tracker.endRun(runId, 'FAILED', 99);
    const routes = server.requests.map((r) => r.route).filter((r) => r.startsWith('runs/') && r !== 'runs/create');
    expect(routes).toEqual(['runs/log-batch', 'runs/update']);
    expect(server.requestsTo('runs/update')[0]!.body).toEqual({ run_id: runId, status: 'FAILED', end_time: 99 });
  });

  it('stop() flushes, marks runs it left open as KILLED, and is idempotent', async () => {
    const tracker = make();
    await tracker.start();
    const open = await tracker.createRun();
    const ended = await tracker.createRun();
    await tracker.endRun(ended.runId);
    await tracker.logMetric(open.runId, 'm', 2);
    await tracker.stop();
    await tracker.stop();
    expect(server.store.runs.get(open.runId)).toMatchObject({ status: 'KILLED' });
    expect(server.store.runs.get(open.runId)!.metrics).toHaveLength(1);
    expect(server.store.runs.get(ended.runId)).toMatchObject({ status: 'FINISHED' });
    expect(server.requestsTo('runs/update')).toHaveLength(2);
  });

  it('stop() with the server down reports TrackerUnavailableError and does not wait out a KILLED update per run', async () => {
    const tracker = make();
    await tracker.start();
    const { runId } = await tracker.createRun();
    await tracker.logMetric(runId, 'm', 1);
    server.failFor(60_000, { status: 503 });
    const error = await tracker.stop().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrackerUnavailableError);
    expect(server.requestsTo('runs/update')).toHaveLength(0);
  });
});
