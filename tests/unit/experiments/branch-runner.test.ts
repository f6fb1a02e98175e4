import { ErrorCodes, ValidationError } from '../../../src/domain/errors';
import type { ILifecycleLogger } from '../../../src/domain/ports/lifecycle-logger';
import type { BranchCounts } from '../../../src/application/experiments/branch-results';
import { runBranches } from '../../../src/application/experiments/branch-runner';
import { MemoryLifecycleLogger } from '../../../src/application/experiments/memory-lifecycle-logger';
import { MemoryLogger } from '../../../src/infrastructure/logging/memory-logger';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const configs = (n: number) => Array.from({ length: n }, (_, i) => ({ i }));

describe('runBranches', () => {
  it('runs every variant and records each lifecycle: params = config, running → success', async () => {
    const lifecycle = new MemoryLifecycleLogger();
    const results = await runBranches(configs(3), async (config, { runId }) => ({ doubled: config.i * 2, runId }), { lifecycleLogger: lifecycle });
    expect(results.all.map((b) => b.status)).toEqual(['success', 'success', 'success']);
    expect(results.all.map((b) => b.output?.doubled)).toEqual([0, 2, 4]);
    for (const branch of results.all) {
      const record = lifecycle.get(branch.runId!);
      expect(branch.output?.runId).toBe(branch.runId);
      expect(record.configId).toBe(branch.configId);
      expect(record.params).toEqual(branch.config);
      expect(record.statuses.map((s) => s.status)).toEqual(['running', 'success']);
      expect(record.statuses[1]).toEqual({ status: 'success', startTs: branch.startTs, endTs: branch.endTs, retryCount: 0 });
      expect(branch.durationMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('collects failures by default: the others still run, the failure keeps type, message and stack', async () => {
    const lifecycle = new MemoryLifecycleLogger();
    const results = await runBranches(
      configs(4),
      async (config) => {
        if (config.i === 1) throw new RangeError('i=1 is out of range');
        return config.i;
      },
      { lifecycleLogger: lifecycle },
    );
    expect(results.successful()).toHaveLength(3);
    const [failed] = results.failed();
    expect(failed!.config).toEqual({ i: 1 });
    expect(failed!.exception).toMatchObject({ type: 'RangeError', message: 'i=1 is out of range' });
    expect(failed!.exception!.stack).toContain('RangeError');
    const record = lifecycle.byConfigId(failed!.configId)!;
    expect(record.exception).toMatchObject({ type: 'RangeError', message: 'i=1 is out of range' });
    expect(lifecycle.byStatus('failed')).toEqual([record]);
  });

  it('retries a failing branch with backoff and counts the retries', async () => {
    const attempts: number[] = [];
    const lifecycle = new MemoryLifecycleLogger();
    const results = await runBranches(
      [{ flaky: true }],
      async (_config, { attempt }) => {
        attempts.push(attempt);
        if (attempt < 2) throw new Error(`attempt ${attempt} failed`);
        return 'ok';
      },
      { retries: 2, retryBackoffMs: 5, lifecycleLogger: lifecycle },
    );
    const branch = results.all[0]!;
    expect(attempts).toEqual([0, 1, 2]);
    expect(branch.status).toBe('success');
    expect(branch.retryCount).toBe(2);
    // backoff 5 ms then 10 ms: the branch cannot have finished sooner
    expect(branch.durationMs).toBeGreaterThanOrEqual(14);
    expect(lifecycle.get(branch.runId!).statuses.at(-1)).toMatchObject({ status: 'success', retryCount: 2 });
  });

  it('fails with the last error once retries are used up', async () => {
    let calls = 0;
    const results = await runBranches([{ a: 1 }], async () => {
      calls += 1;
      throw new Error(`failure ${calls}`);
    }, { retries: 1, retryBackoffMs: 1 });
    expect(calls).toBe(2);
    expect(results.all[0]).toMatchObject({ status: 'failed', retryCount: 1, exception: { message: 'failure 2' } });
  });

  it('fails a branch that exceeds timeoutMs with TimeoutError / BRANCH_TIMEOUT and aborts its signal', async () => {
    let sawAbort = false;
    const results = await runBranches(
      [{ slow: true }, { slow: false }],
      async (config, { signal }) => {
        if (!config.slow) return 'fast';
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        sawAbort = signal.aborted;
        return 'too late';
      },
      { timeoutMs: 30 },
    );
    const [slow, fast] = results.all;
    expect(fast!.status).toBe('success');
    expect(slow!.status).toBe('failed');
    expect(slow!.exception).toMatchObject({ type: 'TimeoutError', code: ErrorCodes.BRANCH_TIMEOUT });
    expect(slow!.exception!.message).toMatch(/timed out after 30 ms; raise timeoutMs/);
    expect(slow!.output).toBeUndefined(); // the late result does not overwrite the failure
    expect(sawAbort).toBe(true);
  });

  it('retries a timed-out attempt like any other failure', async () => {
    const results = await runBranches(
      [{ a: 1 }],
      async (_c, { attempt }) => {
        if (attempt === 0) await sleep(200);
        return attempt;
      },
      { timeoutMs: 20, retries: 1, retryBackoffMs: 1 },
    );
    expect(results.all[0]).toMatchObject({ status: 'success', retryCount: 1, output: 1 });
  });

  it('never runs more than `concurrency` branches at once, and does reach the limit', async () => {
    let running = 0;
    let maxRunning = 0;
    const seen: BranchCounts[] = [];
    const results = await runBranches(
      configs(12),
      async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await sleep(10);
        running -= 1;
      },
      { concurrency: 3, onProgress: (c) => seen.push(c) },
    );
    expect(results.successful()).toHaveLength(12);
    expect(maxRunning).toBe(3);
    expect(Math.max(...seen.map((c) => c.running))).toBe(3);
    expect(seen.at(-1)).toEqual({ total: 12, pending: 0, running: 0, success: 12, failed: 0, skipped: 0 });
  });

  it('starts branches in input order', async () => {
    const started: number[] = [];
    await runBranches(configs(6), async (c) => void started.push(c.i), { concurrency: 2 });
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('failFast skips the branches not started yet and lets running ones finish', async () => {
    const lifecycle = new MemoryLifecycleLogger();
    const results = await runBranches(
      configs(6),
      async (config) => {
        if (config.i === 0) throw new Error('first one breaks');
        await sleep(20); // branch 1 is running when branch 0 fails
        return config.i;
      },
      { concurrency: 2, failFast: true, lifecycleLogger: lifecycle },
    );
    expect(results.all.map((b) => b.status)).toEqual(['failed', 'success', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(results.skipped().every((b) => b.startTs === undefined && b.endTs !== undefined)).toBe(true);
    // skipped branches are recorded too, so the tracker shows what never ran
    expect(lifecycle.byStatus('skipped')).toHaveLength(4);
  });

  it('an AbortSignal skips pending branches and aborts the running ones', async () => {
    const controller = new AbortController();
    const results = await runBranches(
      configs(5),
      async (config, { signal }) => {
        if (config.i === 0) controller.abort('SIGINT');
        await sleep(5);
        if (signal.aborted) throw new Error(`aborted: ${String(signal.reason)}`);
        return config.i;
      },
      { concurrency: 2, retries: 3, retryBackoffMs: 1000, signal: controller.signal },
    );
    const [first, second, ...rest] = results.all;
    expect(first).toMatchObject({ status: 'failed', retryCount: 0, exception: { message: 'aborted: SIGINT' } });
    expect(['failed', 'success']).toContain(second!.status);
    expect(rest.map((b) => b.status)).toEqual(['skipped', 'skipped', 'skipped']);
  });

  it('runs nothing when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    const results = await runBranches(configs(3), async () => void (calls += 1), { signal: controller.signal });
    expect(calls).toBe(0);
    expect(results.skipped()).toHaveLength(3);
  });

  it('records a synchronous throw as a failure', async () => {
    const results = await runBranches([{ a: 1 }], (() => {
      throw new Error('sync');
    }) as never);
    expect(results.all[0]!.exception?.message).toBe('sync');
  });

  it('fails a branch whose record cannot be opened, and never lets later lifecycle errors change a result', async () => {
    const logger = new MemoryLogger();
    const lifecycle: ILifecycleLogger = {
      startRun: async (c) => {
        if (c.config.i === 0) throw new Error('tracker down');
        return `run-${String(c.config.i)}`;
      },
      logParams: async () => undefined,
      logStatus: async (_id, status) => {
        if (status === 'success') throw new Error('tag write failed');
      },
      logException: async () => undefined,
    };
    const results = await runBranches(configs(3), async (c) => c.i, { lifecycleLogger: lifecycle, logger });
    expect(results.all.map((b) => b.status)).toEqual(['failed', 'success', 'success']);
    expect(results.all[0]!.exception?.message).toBe('tracker down');
    expect(logger.messages('warn')).toEqual([expect.stringMatching(/^Could not record the lifecycle of branch [0-9a-f]{12}: tag write failed$/)]);
    expect(logger.messages('debug')).toHaveLength(1); // the second failure is not repeated as a warning
  });

  it('names branches with the name option', async () => {
    const lifecycle = new MemoryLifecycleLogger();
    await runBranches(configs(2), async () => 1, { lifecycleLogger: lifecycle, name: (c) => `trial-${String(c.i)}` });
    expect(lifecycle.runs().map((r) => r.name).sort()).toEqual(['trial-0', 'trial-1']);
  });

  it('rejects a bad concurrency and duplicate configs before running anything', async () => {
    await expect(runBranches(configs(2), async () => 1, { concurrency: 0 })).rejects.toThrow(ValidationError);
    await expect(runBranches([{ a: 1 }, { a: 1 }], async () => 1)).rejects.toThrow(/Branches 0 and 1 have the same config/);
  });

  it('returns empty results for no variants', async () => {
    const results = await runBranches([], async () => 1);
    expect(results.all).toEqual([]);
  });
});
