import { getLifecycleLogger } from '../../../src/application/experiments/get-lifecycle-logger';
import { MemoryLifecycleLogger } from '../../../src/application/experiments/memory-lifecycle-logger';
import { NoOpLifecycleLogger } from '../../../src/application/experiments/noop-lifecycle-logger';
import { TrackerLifecycleLogger } from '../../../src/application/experiments/tracker-lifecycle-logger';
import { runBranches } from '../../../src/application/experiments/branch-runner';
import { ErrorCodes, NotFoundError } from '../../../src/domain/errors';
import { MlflowTags } from '../../../src/domain/model/run';
import { MemoryLogger } from '../../../src/infrastructure/logging/memory-logger';
import { InMemoryTracker } from '../../../src/infrastructure/tracking/memory';

describe('TrackerLifecycleLogger', () => {
  it('makes each branch a nested run: params = config, status ends the run with the branch end time', async () => {
    const tracker = new InMemoryTracker();
    await tracker.start();
    const parent = await tracker.createRun({ runName: 'sweep' });
    const lifecycle = new TrackerLifecycleLogger(tracker, { parentRunId: parent.runId, experimentId: parent.experimentId });
    const runId = await lifecycle.startRun({ configId: 'abc123abc123', name: 'trial', config: { l2: 0.1 } });
    await lifecycle.logParams(runId, { l2: 0.1, tags: ['a', 'b'], nested: { x: 1 }, on: true });
    await lifecycle.logStatus(runId, 'running', 1000, undefined, 0);
    expect(tracker.run(runId).info.status).toBe('RUNNING');
    await lifecycle.logStatus(runId, 'success', 1000, 2500, 2);

    const run = tracker.run(runId);
    expect(run.info).toMatchObject({ runName: 'trial', status: 'FINISHED', endTime: 2500, experimentId: parent.experimentId });
    expect(run.data.tags).toMatchObject({
      [MlflowTags.PARENT_RUN_ID]: parent.runId,
      'branch.configId': 'abc123abc123',
      'branch.status': 'success',
      'branch.retryCount': '2',
    });
    expect(run.data.params).toEqual({ l2: '0.1', tags: '["a","b"]', nested: '{"x":1}', on: 'true' });
  });

  it('maps failed → FAILED with exception tags, and skipped → KILLED', async () => {
    const tracker = new InMemoryTracker();
    const lifecycle = new TrackerLifecycleLogger(tracker);
    const failed = await lifecycle.startRun({ configId: 'f', config: {} });
    await lifecycle.logException(failed, 'TimeoutError', 'took too long', 'TimeoutError: took too long\n    at x');
    await lifecycle.logStatus(failed, 'failed', 1, 2, 0);
    expect(tracker.run(failed).info.status).toBe('FAILED');
    expect(tracker.tags(failed)).toMatchObject({
      'exception.type': 'TimeoutError',
      'exception.message': 'took too long',
      'exception.stack': 'TimeoutError: took too long\n    at x',
    });
    const skipped = await lifecycle.startRun({ configId: 's', config: {} });
    await lifecycle.logStatus(skipped, 'skipped', 3, 3, 0);
    expect(tracker.run(skipped).info).toMatchObject({ status: 'KILLED', runName: 'branch-s' });
  });

  it('cuts overlong values with a marker instead of failing the branch', async () => {
    const tracker = new InMemoryTracker();
    const lifecycle = new TrackerLifecycleLogger(tracker);
    const runId = await lifecycle.startRun({ configId: 'long', config: {} });
    await lifecycle.logParams(runId, { big: 'x'.repeat(7000) });
    await lifecycle.logException(runId, 'Error', 'm'.repeat(9000));
    expect(tracker.params(runId).big).toHaveLength(6000);
    expect(tracker.params(runId).big!.endsWith('…[truncated]')).toBe(true);
    expect(tracker.tags(runId)['exception.message']).toHaveLength(8000);
  });
});

describe('MemoryLifecycleLogger', () => {
  it('records every call and answers queries', async () => {
    const lifecycle = new MemoryLifecycleLogger();
    const a = await lifecycle.startRun({ configId: 'a', name: 'A', config: { x: 1 } });
    const b = await lifecycle.startRun({ configId: 'b', config: { x: 2 } });
    await lifecycle.logParams(a, { x: 1 });
    await lifecycle.logStatus(a, 'running', 1, undefined, 0);
    await lifecycle.logStatus(a, 'success', 1, 5, 0);
    await lifecycle.logStatus(b, 'running', 2, undefined, 0);
    await lifecycle.logException(b, 'Error', 'bad', 'stack');
    await lifecycle.logStatus(b, 'failed', 2, 6, 1);
    expect(lifecycle.runs().map((r) => r.runId)).toEqual([a, b]);
    expect(lifecycle.get(a)).toMatchObject({ configId: 'a', name: 'A', params: { x: 1 } });
    expect(lifecycle.lastStatus(a)).toBe('success');
    expect(lifecycle.byStatus('failed').map((r) => r.configId)).toEqual(['b']);
    expect(lifecycle.byConfigId('b')?.exception).toEqual({ type: 'Error', message: 'bad', stack: 'stack' });
    expect(lifecycle.get(b).statuses.at(-1)).toEqual({ status: 'failed', startTs: 2, endTs: 6, retryCount: 1 });
    expect(() => lifecycle.get('unknown')).toThrow(NotFoundError);
    lifecycle.clear();
    expect(lifecycle.runs()).toEqual([]);
  });
});

describe('NoOpLifecycleLogger', () => {
  it('accepts every call and records nothing', async () => {
    const lifecycle = new NoOpLifecycleLogger();
    const results = await runBranches([{ a: 1 }, { a: 2 }], async (c) => c.a, { lifecycleLogger: lifecycle });
    expect(results.all.map((b) => b.runId)).toEqual(results.all.map((b) => `noop-${b.configId}`));
    expect(results.successful()).toHaveLength(2);
  });
});

describe('getLifecycleLogger', () => {
  it('returns the adapter asked for', () => {
    const tracker = new InMemoryTracker();
    expect(getLifecycleLogger('mlflow', { tracker })).toBeInstanceOf(TrackerLifecycleLogger);
    expect(getLifecycleLogger('memory')).toBeInstanceOf(MemoryLifecycleLogger);
    expect(getLifecycleLogger('noop')).toBeInstanceOf(NoOpLifecycleLogger);
  });

  it('falls back to no-op when mlflow is asked for without a tracker, warning once in one line', async () => {
    const logger = new MemoryLogger();
    const first = getLifecycleLogger('mlflow', { logger });
    const second = getLifecycleLogger('mlflow', { logger });
    expect(first).toBeInstanceOf(NoOpLifecycleLogger);
    expect(second).toBeInstanceOf(NoOpLifecycleLogger);
    const warnings = logger.messages('warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Lifecycle logger "mlflow" requested but no tracker is configured: branch lifecycles will not be recorded/);
    expect(warnings[0]).not.toContain('\n');
    // and it works as a logger
    await expect(runBranches([{ a: 1 }], async () => 'ok', { lifecycleLogger: first })).resolves.toBeDefined();
  });

  it('without a logger it emits a single process warning', () => {
    // a spy that swallows the warning, so the test output stays clean
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      getLifecycleLogger('mlflow');
      getLifecycleLogger('mlflow');
      expect(emit).toHaveBeenCalledTimes(1);
      expect(emit.mock.calls[0]![1]).toEqual({ code: 'MLOPS_LIFECYCLE_NOOP' });
    } finally {
      emit.mockRestore();
    }
  });

  it('refuses an unknown kind', () => {
    expect(() => getLifecycleLogger('sql' as never)).toThrow(expect.objectContaining({ code: ErrorCodes.VALIDATION }));
  });

  it('never stores URL credentials quoted by an exception in the run tags', async () => {
    const tracker = new InMemoryTracker();
    const lifecycle = new TrackerLifecycleLogger(tracker);
    const runId = await lifecycle.startRun({ configId: 'leak', config: {} });
    const message = 'Request cannot be constructed from a URL that includes credentials: https://u:p4ss/w0rd@data.example.com/x.csv';
    await lifecycle.logException(runId, 'TypeError', message, `TypeError: ${message}\n    at fetch`);
    const tags = tracker.tags(runId);
    expect(tags['exception.message']).toContain('https://***@data.example.com/x.csv');
    expect(JSON.stringify(tags)).not.toContain('p4ss');
  });
});
