import { withRun } from '../../../src/application/tracking/with-run';
import { JobInterruptedError } from '../../../src/domain/errors';
import { InMemoryTracker } from '../../../src/infrastructure/tracking/memory';

describe('withRun', () => {
  it('creates the run, hands it to fn, ends it FINISHED and returns fn’s value', async () => {
    const tracker = new InMemoryTracker();
    const value = await withRun(tracker, { runName: 'ok', tags: { team: 'ml' } }, async (run) => {
      expect(tracker.run(run.runId).info.status).toBe('RUNNING');
      await tracker.logMetric(run.runId, 'm', 1);
      return run.runId;
    });
    const run = tracker.run(value);
    expect(run.info).toMatchObject({ runName: 'ok', status: 'FINISHED' });
    expect(run.info.endTime).toEqual(expect.any(Number));
    expect(run.data.tags.team).toBe('ml');
  });

  it('ends the run FAILED and rethrows the same error when fn throws', async () => {
    const tracker = new InMemoryTracker();
    const boom = new Error('boom');
    await expect(withRun(tracker, {}, async () => Promise.reject(boom))).rejects.toBe(boom);
    expect(tracker.runs()[0]!.info.status).toBe('FAILED');
  });

  it('ends the run KILLED when the job was interrupted', async () => {
    const tracker = new InMemoryTracker();
    await expect(withRun(tracker, {}, async () => Promise.reject(new JobInterruptedError('SIGINT')))).rejects.toThrow(JobInterruptedError);
    expect(tracker.runs()[0]!.info.status).toBe('KILLED');
  });

  it('never hides fn’s error behind a failure to end the run', async () => {
    const tracker = new InMemoryTracker();
    const boom = new Error('the real cause');
    await expect(
      withRun(tracker, {}, async (run) => {
        await tracker.endRun(run.runId, 'FINISHED');
        // make the FAILED update impossible: the tracker no longer knows the run
        Object.assign(tracker, { endRun: async () => Promise.reject(new Error('tracker down')) });
        throw boom;
      }),
    ).rejects.toBe(boom);
  });

  it('surfaces a failure to end a successful run (logged data may be lost)', async () => {
    const tracker = new InMemoryTracker();
    Object.assign(tracker, { endRun: async () => Promise.reject(new Error('flush failed')) });
    await expect(withRun(tracker, {}, async () => 1)).rejects.toThrow('flush failed');
  });
});
