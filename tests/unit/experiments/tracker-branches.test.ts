import { runBranches } from '../../../src/application/experiments/branch-runner';
import { TrackerLifecycleLogger } from '../../../src/application/experiments/tracker-lifecycle-logger';
import { MlflowTags } from '../../../src/domain/model/run';
import { InMemoryTracker } from '../../../src/infrastructure/tracking/memory';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('branches over a tracker', () => {
  it('runs 100 branches 25 at a time with no cross-run mix-ups: each nested run holds only its own params and metrics', async () => {
    const tracker = new InMemoryTracker();
    await tracker.start();
    const parent = await tracker.createRun({ runName: 'hundred' });
    const variants = Array.from({ length: 100 }, (_, i) => ({ index: i, l2: i / 1000 }));
    let running = 0;
    let maxRunning = 0;
    const results = await runBranches(
      variants,
      async (config, { runId }) => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        try {
          // interleave: yield between every write so other branches log in the middle
          for (let step = 0; step < 3; step++) {
            await sleep((config.index * 7) % 5);
            await tracker.logMetric(runId, 'value', config.index * 10 + step, { step });
          }
          if (config.index % 10 === 3) throw new Error(`branch ${config.index} fails`);
          return config.index;
        } finally {
          running -= 1;
        }
      },
      { concurrency: 25, lifecycleLogger: new TrackerLifecycleLogger(tracker, { parentRunId: parent.runId }) },
    );
    expect(maxRunning).toBe(25);
    expect(results.successful()).toHaveLength(90);
    expect(results.failed()).toHaveLength(10);

    const children = tracker.runs().filter((r) => r.data.tags[MlflowTags.PARENT_RUN_ID] === parent.runId);
    expect(children).toHaveLength(100);
    for (const branch of results.all) {
      const i = branch.config.index;
      const run = tracker.run(branch.runId!);
      expect(run.data.params).toEqual({ index: String(i), l2: String(i / 1000) });
      expect(tracker.metricValues(branch.runId!, 'value')).toEqual([i * 10, i * 10 + 1, i * 10 + 2]);
      expect(Object.keys(run.data.metrics)).toEqual(['value']);
      expect(run.data.tags['branch.configId']).toBe(branch.configId);
      expect(run.info.status).toBe(i % 10 === 3 ? 'FAILED' : 'FINISHED');
      if (i % 10 === 3) expect(run.data.tags['exception.message']).toBe(`branch ${i} fails`);
      else expect(run.data.tags['exception.message']).toBeUndefined();
    }
  });
});

describe('an interrupted experiment over a tracker', () => {
  it('ends every open branch run KILLED the moment the signal aborts, aborts the running branches, and opens no run after', async () => {
    const tracker = new InMemoryTracker();
    await tracker.start();
    const parent = await tracker.createRun({ runName: 'sweep' });
    const controller = new AbortController();
    const variants = Array.from({ length: 6 }, (_, i) => ({ i }));
    let started = 0;
    const running = runBranches(
      variants,
      async (_config, { signal }) => {
        started += 1;
        // a long branch that only stops when its signal aborts
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        throw new Error('stopped');
      },
      { concurrency: 3, signal: controller.signal, lifecycleLogger: new TrackerLifecycleLogger(tracker, { parentRunId: parent.runId, signal: controller.signal }) },
    );
    while (tracker.runs().length < 4) await sleep(1);
    await sleep(5);
    controller.abort('SIGINT');
    const results = await running;
    expect(started).toBe(3);
    expect(results.counts()).toMatchObject({ failed: 3, skipped: 3 });
    const children = tracker.runs().filter((r) => r.info.runId !== parent.runId);
    expect(children).toHaveLength(3); // the skipped ones got no run: the process is stopping
    expect(children.map((r) => r.info.status)).toEqual(['KILLED', 'KILLED', 'KILLED']);
  });
});
