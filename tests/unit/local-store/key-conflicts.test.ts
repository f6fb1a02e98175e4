import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ErrorCodes } from 'mlops-kit';
import { LocalTracker } from 'mlops-kit/local';

// A file store keeps key "a" in a file and "a/b" under a directory "a": the two cannot coexist. The
// local store says so with a typed KEY_CONFLICT error, never a raw EEXIST/EISDIR/ENOTDIR at stop.
describe('local store: keys "a" and "a/b" in one run', () => {
  let dir: string;
  let tracker: LocalTracker;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-keys-'));
    tracker = new LocalTracker({ root: dir });
    await tracker.start();
  });
  afterEach(async () => {
    // a metric line that could not be written is reported again at stop (nothing is dropped silently)
    await tracker.stop().catch((error: { code?: string }) => expect(error.code).toBe(ErrorCodes.KEY_CONFLICT));
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['metric', (runId: string, key: string) => tracker.logMetric(runId, key, 1)],
    ['param', (runId: string, key: string) => tracker.logParam(runId, key, 'x')],
    ['tag', (runId: string, key: string) => tracker.setTag(runId, key, 'x')],
  ])('%s: "a" then "a/b", and "c/d" then "c", are KEY_CONFLICT errors; the first key stays', async (_kind, log) => {
    for (const [first, second] of [['a', 'a/b'], ['c/d', 'c']] as const) {
      const run = await tracker.createRun({});
      await log(run.runId, first);
      await tracker.flush();
      await expect(Promise.resolve(log(run.runId, second)).then(() => tracker.flush())).rejects.toMatchObject({ code: ErrorCodes.KEY_CONFLICT });
      const stored = await tracker.getRun(run.runId);
      const keys = [...Object.keys(stored.data.metrics), ...Object.keys(stored.data.params), ...Object.keys(stored.data.tags)];
      expect(keys).toContain(first);
    }
  });
});
