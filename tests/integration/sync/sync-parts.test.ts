import type { Metric } from '../../../src/domain/model/run';
import { TtyProgress, originFilter, planVersionSource, progressFor, silentProgress, undelivered, type StoredRun, type StoredVersion, type TargetRun } from '../../../src/infrastructure/sync';
import { CaptureStream } from './sync-harness';

const m = (step: number, value: number, timestamp = 1000 + step): Metric => ({ key: 'k', value, timestamp, step });

describe('undelivered (what a resumed run still needs)', () => {
  it('sends everything when nothing arrived, and nothing when all did', () => {
    const source = [m(0, 1), m(1, 2), m(2, 3)];
    expect(undelivered(source, [])).toEqual(source);
    expect(undelivered(source, [m(2, 3), m(0, 1), m(1, 2)])).toEqual([]);
  });

  it('sends exactly the missing values, in source order, whatever order the server answers in', () => {
    expect(undelivered([m(0, 1), m(1, 2), m(2, 3), m(3, 4)], [m(2, 3), m(0, 1)])).toEqual([m(1, 2), m(3, 4)]);
  });

  it('counts duplicates: a value logged twice is sent twice, minus the copies already there', () => {
    const twice = [m(5, 0.5), m(5, 0.5)];
    expect(undelivered(twice, [])).toHaveLength(2);
    expect(undelivered(twice, [m(5, 0.5)])).toEqual([m(5, 0.5)]);
  });

  it('tells values apart by step, timestamp and value, NaN and infinities included', () => {
    const source = [m(0, NaN), m(1, Infinity), m(2, -Infinity), m(3, 1, 7)];
    expect(undelivered(source, [m(0, NaN), m(1, Infinity), m(3, 1, 8)])).toEqual([m(2, -Infinity), m(3, 1, 7)]);
  });
});

describe('planVersionSource (where a version points on the target)', () => {
  const run = (runId: string, dir: string): StoredRun => ({
    runId, experimentId: '1', experimentName: 'e', runName: 'r', status: 'FINISHED', startTime: 1, tags: {},
    artifactUri: `file://${dir}/artifacts`, dir, artifactsDir: `${dir}/artifacts`,
  });
  const version = (source: string, runId?: string): StoredVersion => ({ version: 1, source, runId, tags: {}, status: 'READY', file: '/store/models/m/version-1/meta.yaml' });
  const runs = new Map([['aaa', run('aaa', '/store/1/aaa')], ['bbb', run('bbb', '/store/1/bbb')]]);
  const targets = new Map<string, TargetRun>([['aaa', { runId: 'new-a', artifactUri: 'mlflow-artifacts:/4/new-a/artifacts' }]]);

  it('rewrites a path inside the run artifacts, a file: URI and a runs:/ URI into the new run', () => {
    expect(planVersionSource(version('/store/1/aaa/artifacts/model', 'aaa'), runs, targets)).toEqual({ source: 'mlflow-artifacts:/4/new-a/artifacts/model', runId: 'new-a', newRun: false });
    expect(planVersionSource(version('file:///store/1/aaa/artifacts/model/sub', 'aaa'), runs, targets)).toMatchObject({ source: 'mlflow-artifacts:/4/new-a/artifacts/model/sub' });
    expect(planVersionSource(version('runs:/aaa/model'), runs, targets)).toMatchObject({ source: 'mlflow-artifacts:/4/new-a/artifacts/model', runId: 'new-a' });
    expect(planVersionSource(version('runs:/aaa'), runs, targets)).toMatchObject({ source: 'mlflow-artifacts:/4/new-a/artifacts' });
  });

  it('finds the run by its <run_id>/artifacts segment after the store was moved, even without run_id', () => {
    expect(planVersionSource(version('/old/home/mlruns/1/aaa/artifacts/model'), runs, targets)).toMatchObject({ source: 'mlflow-artifacts:/4/new-a/artifacts/model', runId: 'new-a' });
  });

  it('keeps remote sources, mapping a synced run id', () => {
    expect(planVersionSource(version('s3://b/m', 'aaa'), runs, targets)).toEqual({ source: 's3://b/m', runId: 'new-a', newRun: false });
    expect(planVersionSource(version('s3://b/m', 'elsewhere'), runs, targets)).toEqual({ source: 's3://b/m', runId: 'elsewhere', newRun: false });
    expect(planVersionSource(version('runs:/on-the-server/model', 'on-the-server'), runs, targets)).toMatchObject({ source: 'runs:/on-the-server/model' });
  });

  it('reports a local path outside every run, a run that was not synced, and paths climbing out', () => {
    expect(planVersionSource(version('/tmp/model'), runs, targets)).toEqual({ problem: expect.stringContaining('/tmp/model is a local path outside every run') });
    expect(planVersionSource(version('/store/1/bbb/artifacts/model', 'bbb'), runs, targets)).toEqual({ problem: expect.stringContaining('run bbb was not synced') });
    expect(planVersionSource(version('runs:/aaa/../x'), runs, targets)).toEqual({ problem: expect.stringContaining('climbs out') });
  });
});

describe('sync progress', () => {
  it('on a terminal: redraws when a run finishes, else at most every 100 ms, and ends the line', () => {
    let now = 0;
    const stream = new CaptureStream(true);
    const progress = new TtyProgress(stream, () => now);
    progress.update({ runsDone: 0, runsTotal: 2, metrics: 1 });
    progress.update({ runsDone: 0, runsTotal: 2, metrics: 2 }); // same instant: skipped
    now = 150;
    progress.update({ runsDone: 0, runsTotal: 2, metrics: 1500 });
    progress.update({ runsDone: 1, runsTotal: 2, metrics: 1500 }); // a run finished: drawn at once
    progress.end({ runsDone: 2, runsTotal: 2, metrics: 2000 });
    const frames = stream.text.split('\r\x1b[K').filter(Boolean);
    expect(frames).toEqual(['sync: runs 0/2 · metrics 1', 'sync: runs 0/2 · metrics 1,500', 'sync: runs 1/2 · metrics 1,500', 'sync: runs 2/2 · metrics 2,000\n']);
  });

  it('is silent when the stream is not a terminal', () => {
    expect(progressFor(new CaptureStream(false))).toBe(silentProgress);
    expect(progressFor(new CaptureStream(true))).toBeInstanceOf(TtyProgress);
  });
});

it('the origin filter back-ticks the tag key, which holds dots and a dash', () => {
  expect(originFilter('4f1c')).toBe("tags.`mlops-kit.sync.origin_run_id` = '4f1c'");
});
