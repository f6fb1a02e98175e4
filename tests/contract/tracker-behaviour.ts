/**
 * The behaviour every ITracker adapter must share, written once and run against each adapter (memory and
 * local in memory-local.test.ts, MLflow against a real server elsewhere). A difference between adapters
 * fails here, so a job behaves the same whichever backend the config picks.
 *
 * Each test uses fresh, uniquely named experiments, so the suite also runs against a server that keeps
 * state between tests. Reads go through the port only (getRun, getMetricHistory, searchRuns …).
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConflictError, ErrorCodes, NotFoundError, ValidationError } from '../../src/domain/errors';
import type { ITracker } from '../../src/domain/ports/tracker';

export interface TrackerFixture {
  /** A started tracker. */
  tracker: ITracker;
  /** Stops whatever the factory started and removes temp files. */
  cleanup(): Promise<void>;
  /** Optional: another started tracker on the same backing store, to read back after `tracker.stop()`. */
  reopen?(): Promise<ITracker>;
}

export type TrackerFactory = () => Promise<TrackerFixture>;

/** Runs a call and turns a synchronous throw into a rejection, so both styles of failing are caught. */
export function attempt<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return fn();
  } catch (error) {
    return Promise.reject(error);
  }
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

const RUN_ID = /^[0-9a-f]{32}$/;

/** Where a real backend differs, as shared/docs/mlflow-rest.md records it. */
export interface BackendFacts {
  /** A SQL-backed MLflow server keeps ±Infinity as ±1.7976931348623157e308 (both 2.x and 3.x). */
  clampsInfinity?: boolean;
  /** Longest run tag value kept: 8000 (MLflow 3.x, and the embedded stores), 5000 on an MLflow 2.x server. */
  tagLimit?: number;
}

/** ±1.7976931348623157e308 read back as ±Infinity, for a backend that clamps them. */
const unclamp = (value: number): number => (Math.abs(value) === Number.MAX_VALUE ? Math.sign(value) * Number.POSITIVE_INFINITY : value);

export function describeTrackerBehaviour(name: string, factory: TrackerFactory, facts: BackendFacts = {}): void {
  describe(`${name}: ITracker behaviour`, () => {
    let fixture: TrackerFixture;
    let tracker: ITracker;
    beforeAll(async () => {
      fixture = await factory();
      tracker = fixture.tracker;
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });

    describe('experiments', () => {
      it('resolves a default experiment on start that exists', async () => {
        expect(typeof tracker.defaultExperimentId).toBe('string');
        const experiment = await tracker.getExperiment(tracker.defaultExperimentId!);
        expect(experiment).toMatchObject({ experimentId: tracker.defaultExperimentId, lifecycleStage: 'active' });
      });

      it('has experiment "0" named "Default"', async () => {
        expect((await tracker.getExperimentByName('Default'))?.experimentId).toBe('0');
        expect((await tracker.getExperiment('0')).name).toBe('Default');
      });

      it('getOrCreateExperiment returns one id for one name, also when callers race', async () => {
        const expName = uniqueName('race');
        const ids = await Promise.all(Array.from({ length: 5 }, () => tracker.getOrCreateExperiment(expName, { team: 'ml' })));
        expect(new Set(ids).size).toBe(1);
        expect(await tracker.getOrCreateExperiment(expName)).toBe(ids[0]);
        const experiment = await tracker.getExperiment(ids[0]!);
        expect(experiment).toMatchObject({ name: expName, lifecycleStage: 'active', tags: { team: 'ml' } });
        expect((await tracker.getExperimentByName(expName))?.experimentId).toBe(ids[0]);
      });

      it('reports unknown experiments: undefined by name, EXPERIMENT_NOT_FOUND by id', async () => {
        expect(await tracker.getExperimentByName(uniqueName('missing'))).toBeUndefined();
        const error = await attempt(() => tracker.getExperiment('987654321987654')).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(NotFoundError);
        expect((error as NotFoundError).code).toBe(ErrorCodes.EXPERIMENT_NOT_FOUND);
      });
    });

    describe('runs', () => {
      it('createRun opens a RUNNING run with a 32-hex id, its name, description and tags', async () => {
        const experimentName = uniqueName('runs');
        const info = await tracker.createRun({
          experimentName, runName: 'baseline', description: 'first try', tags: { team: 'a' }, startTime: 1_700_000_000_000,
        });
        expect(info.runId).toMatch(RUN_ID);
        expect(info).toMatchObject({ runName: 'baseline', status: 'RUNNING', startTime: 1_700_000_000_000, lifecycleStage: 'active' });
        expect(info.experimentId).toBe((await tracker.getExperimentByName(experimentName))?.experimentId);
        expect(info.artifactUri).toBeTruthy();
        const run = await tracker.getRun(info.runId);
        expect(run.info).toMatchObject({ runId: info.runId, runName: 'baseline', status: 'RUNNING', experimentId: info.experimentId });
        expect(run.data.tags).toMatchObject({ 'mlflow.runName': 'baseline', 'mlflow.note.content': 'first try', team: 'a' });
      });

      it('goes to the default experiment when the config names none, and gets a name anyway', async () => {
        const info = await tracker.createRun();
        expect(info.experimentId).toBe(tracker.defaultExperimentId);
        expect(info.runName).toBeTruthy();
        await tracker.endRun(info.runId);
      });

      it('marks a nested run with mlflow.parentRunId', async () => {
        const parent = await tracker.createRun({ experimentName: uniqueName('nested') });
        const child = await tracker.createRun({ experimentId: parent.experimentId, parentRunId: parent.runId });
        expect((await tracker.getRun(child.runId)).data.tags['mlflow.parentRunId']).toBe(parent.runId);
        expect((await tracker.getRun(parent.runId)).data.tags['mlflow.parentRunId']).toBeUndefined();
      });

      it('refuses a run in an unknown experiment id with EXPERIMENT_NOT_FOUND', async () => {
        const error = await attempt(() => tracker.createRun({ experimentId: '987654321987654' })).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(NotFoundError);
        expect((error as NotFoundError).code).toBe(ErrorCodes.EXPERIMENT_NOT_FOUND);
      });

      it('endRun ends with FINISHED by default, or the status given, and records the end time', async () => {
        const experimentName = uniqueName('end');
        const a = await tracker.createRun({ experimentName });
        const b = await tracker.createRun({ experimentName });
        await tracker.endRun(a.runId);
        await tracker.endRun(b.runId, 'FAILED', a.startTime + 5000);
        const runA = await tracker.getRun(a.runId);
        expect(runA.info.status).toBe('FINISHED');
        expect(runA.info.endTime).toBeGreaterThanOrEqual(a.startTime);
        expect((await tracker.getRun(b.runId)).info).toMatchObject({ status: 'FAILED', endTime: a.startTime + 5000 });
      });

      it('endRun refuses a status that does not end the run', async () => {
        const run = await tracker.createRun({ experimentName: uniqueName('end') });
        await expect(attempt(() => tracker.endRun(run.runId, 'RUNNING'))).rejects.toBeInstanceOf(ValidationError);
        await tracker.endRun(run.runId);
      });

      it('reports an unknown run with RUN_NOT_FOUND', async () => {
        const missing = 'f'.repeat(32);
        for (const call of [() => tracker.getRun(missing), () => tracker.endRun(missing)] as (() => Promise<unknown>)[]) {
          const error = await attempt(call).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(NotFoundError);
          expect((error as NotFoundError).code).toBe(ErrorCodes.RUN_NOT_FOUND);
        }
      });
    });

    describe('metrics, params and tags', () => {
      it('appends metrics; getRun shows the value at the highest step; history keeps logging order', async () => {
        const { runId } = await tracker.createRun({ experimentName: uniqueName('metrics') });
        await tracker.logMetric(runId, 'loss', 0.9, { step: 0, timestamp: 1000 });
        await tracker.logMetric(runId, 'loss', 0.5, { step: 1, timestamp: 1001 });
        await tracker.logMetric(runId, 'loss', 0.7, { step: 2, timestamp: 1002 });
        await tracker.logMetric(runId, 'loss', 0.1, { step: 1, timestamp: 1003 });
        const history = await tracker.getMetricHistory(runId, 'loss');
        expect(history.map((m) => [m.value, m.step, m.timestamp])).toEqual([[0.9, 0, 1000], [0.5, 1, 1001], [0.7, 2, 1002], [0.1, 1, 1003]]);
        expect((await tracker.getRun(runId)).data.metrics.loss).toEqual({ key: 'loss', value: 0.7, step: 2, timestamp: 1002 });
      });

      it('defaults step to 0 and timestamp to now; logMetrics logs several keys', async () => {
        const { runId } = await tracker.createRun({ experimentName: uniqueName('metrics') });
        const before = Date.now();
        await tracker.logMetrics(runId, { acc: 0.8, f1: 0.75 });
        const after = Date.now();
        const { metrics } = (await tracker.getRun(runId)).data;
        expect(Object.keys(metrics).sort()).toEqual(['acc', 'f1']);
        expect(metrics.acc).toMatchObject({ value: 0.8, step: 0 });
        expect(metrics.acc!.timestamp).toBeGreaterThanOrEqual(before - 1000);
        expect(metrics.acc!.timestamp).toBeLessThanOrEqual(after + 1000);
      });

      it(`keeps NaN, ±Infinity${facts.clampsInfinity ? ' (clamped to ±1.7976931348623157e308 by a SQL store)' : ''}, tiny and integer-valued metrics exactly`, async () => {
        const { runId } = await tracker.createRun({ experimentName: uniqueName('metrics') });
        const values = [NaN, Infinity, -Infinity, 1e-7, 3, -0.5, 123456789.125];
        for (const [step, value] of values.entries()) await tracker.logMetric(runId, 'odd', value, { step });
        const read = (await tracker.getMetricHistory(runId, 'odd')).map((m) => m.value);
        expect(facts.clampsInfinity ? read.map(unclamp) : read).toEqual(values);
      });

      it('returns [] for the history of a key never logged', async () => {
        const { runId } = await tracker.createRun({ experimentName: uniqueName('metrics') });
        expect(await tracker.getMetricHistory(runId, 'never')).toEqual([]);
      });

      it('refuses metric values that are not numbers', async () => {
        const { runId } = await tracker.createRun({ experimentName: uniqueName('metrics') });
        await expect(attempt(() => tracker.logMetric(runId, 'acc', 'high' as unknown as number))).rejects.toBeInstanceOf(ValidationError);
      });

      it('params are write-once: the same value again is fine, another value is a ConflictError', async () => {
        const { runId } = await tracker.createRun({ experimentName: uniqueName('params') });
        await tracker.logParam(runId, 'alpha', '0.1');
        await tracker.logParam(runId, 'alpha', '0.1');
        await tracker.flush(runId);
        const error = await attempt(async () => {
          await tracker.logParam(runId, 'alpha', '0.2');
          await tracker.flush(runId);
        }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConflictError);
        expect((await tracker.getRun(runId)).data.params.alpha).toBe('0.1');
      });

      it('stores numbers and booleans as their string form', async () => {
        const { runId } = await tracker.createRun({ experimentName: uniqueName('params') });
        await tracker.logParams(runId, { n: 3, f: 0.5, b: true, s: 'text' });
        expect((await tracker.getRun(runId)).data.params).toEqual({ n: '3', f: '0.5', b: 'true', s: 'text' });
      });

      it('tags overwrite: the last value wins', async () => {
        const { runId } = await tracker.createRun({ experimentName: uniqueName('tags') });
        await tracker.setTag(runId, 'stage', 'draft');
        await tracker.setTags(runId, { stage: 'final', owner: 'ana' });
        expect((await tracker.getRun(runId)).data.tags).toMatchObject({ stage: 'final', owner: 'ana' });
      });

      it('rejects invalid keys at the call with INVALID_KEY', async () => {
        const { runId } = await tracker.createRun({ experimentName: uniqueName('keys') });
        const calls: (() => Promise<unknown>)[] = [
          () => tracker.logMetric(runId, 'bad key!', 1),
          () => tracker.logParam(runId, '../escape', 'x'),
          () => tracker.setTag(runId, '', 'x'),
          () => tracker.logMetrics(runId, { ok: 1, ['x'.repeat(251)]: 2 }),
        ];
        for (const call of calls) {
          const error = await attempt(call).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(ValidationError);
          expect((error as ValidationError).code).toBe(ErrorCodes.INVALID_KEY);
        }
      });

      it(`truncates params to 6000 and tags to ${facts.tagLimit ?? 8000} characters, as MLflow does`, async () => {
        const tagLimit = facts.tagLimit ?? 8000;
        const { runId } = await tracker.createRun({ experimentName: uniqueName('long') });
        await tracker.logParam(runId, 'config', 'p'.repeat(6001));
        await tracker.setTag(runId, 'notes', 't'.repeat(8001));
        const { data } = await tracker.getRun(runId);
        expect(data.params.config).toBe('p'.repeat(6000));
        expect(data.tags.notes).toHaveLength(tagLimit);
        expect(data.tags.notes).toBe('t'.repeat(tagLimit));
      });

      it('keys containing "/" and "." round-trip', async () => {
        const { runId } = await tracker.createRun({ experimentName: uniqueName('keys') });
        await tracker.logMetric(runId, 'eval/val.loss', 0.25);
        await tracker.logParam(runId, 'model/depth', 4);
        await tracker.setTag(runId, 'data/source', 's3://bucket/x');
        const { data } = await tracker.getRun(runId);
        expect(data.metrics['eval/val.loss']?.value).toBe(0.25);
        expect(data.params['model/depth']).toBe('4');
        expect(data.tags['data/source']).toBe('s3://bucket/x');
      });
    });

    describe('searchRuns', () => {
      let experimentId: string;
      let ids: string[];
      beforeAll(async () => {
        experimentId = await tracker.getOrCreateExperiment(uniqueName('search'));
        ids = [];
        for (const [i, rmse] of [0.3, 0.2, 0.1].entries()) {
          const run = await tracker.createRun({ experimentId, runName: `r${i}`, startTime: 1_700_000_000_000 + i * 1000 });
          await tracker.logMetric(run.runId, 'rmse', rmse);
          await tracker.logParam(run.runId, 'alpha', String(i / 10));
          await tracker.setTag(run.runId, 'team', i === 1 ? 'b' : 'a');
          await tracker.endRun(run.runId);
          ids.push(run.runId);
        }
      });
      const search = async (query: { filter?: string; orderBy?: string[]; maxResults?: number; pageToken?: string } = {}) =>
        tracker.searchRuns({ experimentIds: [experimentId], ...query });

      it('returns every run of the experiments, newest start first', async () => {
        const page = await search();
        expect(page.items.map((r) => r.info.runId)).toEqual([ids[2], ids[1], ids[0]]);
        expect(page.nextPageToken).toBeUndefined();
        expect(page.items[0]!.data).toMatchObject({ params: { alpha: '0.2' }, tags: { team: 'a' } });
        expect(page.items[0]!.data.metrics.rmse?.value).toBe(0.1);
      });

      it('filters on metrics, params, tags and attributes, joined by AND', async () => {
        expect((await search({ filter: 'metrics.rmse < 0.25' })).items.map((r) => r.info.runId)).toEqual([ids[2], ids[1]]);
        expect((await search({ filter: "params.alpha = '0.1'" })).items.map((r) => r.info.runId)).toEqual([ids[1]]);
        expect((await search({ filter: "tags.team = 'a' and metrics.rmse >= 0.2" })).items.map((r) => r.info.runId)).toEqual([ids[0]]);
        expect((await search({ filter: "attributes.run_name = 'r2'" })).items.map((r) => r.info.runId)).toEqual([ids[2]]);
        expect((await search({ filter: "attributes.status = 'FINISHED'" })).items).toHaveLength(3);
      });

      it('orders by a metric and pages with nextPageToken', async () => {
        const first = await search({ orderBy: ['metrics.rmse DESC'], maxResults: 2 });
        expect(first.items.map((r) => r.info.runId)).toEqual([ids[0], ids[1]]);
        expect(first.nextPageToken).toBeTruthy();
        const second = await search({ orderBy: ['metrics.rmse DESC'], maxResults: 2, pageToken: first.nextPageToken });
        expect(second.items.map((r) => r.info.runId)).toEqual([ids[2]]);
        expect(second.nextPageToken).toBeUndefined();
      });

      it('returns an empty page for an experiment without runs', async () => {
        const empty = await tracker.getOrCreateExperiment(uniqueName('empty'));
        expect((await tracker.searchRuns({ experimentIds: [empty] })).items).toEqual([]);
      });
    });

    describe('artifacts', () => {
      let dir: string;
      beforeAll(async () => {
        dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-artifacts-'));
        await fs.writeFile(path.join(dir, 'notes.txt'), 'hello');
        await fs.mkdir(path.join(dir, 'model', 'weights'), { recursive: true });
        await fs.writeFile(path.join(dir, 'model', 'MLmodel'), 'flavors: {}\n');
        await fs.writeFile(path.join(dir, 'model', 'weights', 'w.bin'), Buffer.from([1, 2, 3, 4]));
      });
      afterAll(async () => {
        await fs.rm(dir, { recursive: true, force: true });
      });

      it('puts a file at <dir>/<basename> and a directory\'s contents under <dir>; lists direct children', async () => {
        const { runId } = await tracker.createRun({ experimentName: uniqueName('artifacts') });
        await tracker.logArtifact(runId, path.join(dir, 'notes.txt'));
        await tracker.logArtifact(runId, path.join(dir, 'model'), 'model');
        expect(await tracker.listArtifacts(runId)).toEqual([
          { path: 'model', isDir: true },
          { path: 'notes.txt', isDir: false, fileSize: 5 },
        ]);
        expect(await tracker.listArtifacts(runId, 'model')).toEqual([
          { path: 'model/MLmodel', isDir: false, fileSize: 12 },
          { path: 'model/weights', isDir: true },
        ]);
        expect(await tracker.listArtifacts(runId, 'nothing-here')).toEqual([]);
      });

      it('downloads a file or a directory to <destDir>/<path>; a missing path is ARTIFACT_NOT_FOUND', async () => {
        const { runId } = await tracker.createRun({ experimentName: uniqueName('artifacts') });
        await tracker.logArtifact(runId, path.join(dir, 'model'), 'model');
        const dest = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-download-'));
        try {
          const local = await tracker.downloadArtifact(runId, 'model', dest);
          expect(local).toBe(path.join(dest, 'model'));
          expect(await fs.readFile(path.join(local, 'weights', 'w.bin'))).toEqual(Buffer.from([1, 2, 3, 4]));
          const file = await tracker.downloadArtifact(runId, 'model/MLmodel', dest);
          expect(await fs.readFile(file, 'utf8')).toBe('flavors: {}\n');
          const error = await attempt(() => tracker.downloadArtifact(runId, 'missing.txt', dest)).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(NotFoundError);
          expect((error as NotFoundError).code).toBe(ErrorCodes.ARTIFACT_NOT_FOUND);
        } finally {
          await fs.rm(dest, { recursive: true, force: true });
        }
      });
    });

    describe('lifecycle', () => {
      it('stop() ends runs this tracker left RUNNING as KILLED and leaves ended runs alone; both calls are idempotent', async () => {
        const own = await factory();
        try {
          await own.tracker.start();
          const experimentName = uniqueName('stop');
          const open = await own.tracker.createRun({ experimentName });
          const done = await own.tracker.createRun({ experimentName });
          await own.tracker.logMetric(open.runId, 'm', 1);
          await own.tracker.endRun(done.runId, 'FINISHED');
          await own.tracker.stop();
          await own.tracker.stop();
          const reader = own.reopen ? await own.reopen() : own.tracker;
          const killed = await reader.getRun(open.runId);
          expect(killed.info.status).toBe('KILLED');
          expect(killed.info.endTime).toBeGreaterThanOrEqual(open.startTime);
          expect(killed.data.metrics.m?.value).toBe(1);
          expect((await reader.getRun(done.runId)).info.status).toBe('FINISHED');
        } finally {
          await own.cleanup();
        }
      });
    });
  });
}
