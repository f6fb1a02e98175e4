import { ErrorCodes, JobInterruptedError } from '../../../src/domain/errors';
import { CpuSlice } from '../../../src/application/training/cpu-slice';
import { generateBikeDemand } from '../../../src/application/training/dataset';
import { fitScaler, standardize } from '../../../src/application/training/preprocessing';
import { fitRidge } from '../../../src/application/training/ridge-regression';
import { DEFAULT_HYPERPARAMS, trainModel } from '../../../src/application/training/train';

/** Longest gap between ticks of a 1 ms interval while `work` runs: how long the event loop was held. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  try {
    await work().catch(() => undefined);
  } finally {
    clearInterval(timer);
  }
  return longest;
}

describe('training yields to the event loop and stops when aborted', () => {
  // a CI machine (GC, other processes) stalls now and then; a blocking loop of this size holds it for seconds
  // the promise is "a signal is handled within 1 s"; a loaded 2-core CI machine adds GC pauses of its own
  const STALL_BOUND_MS = 1_000;

  it('data generation, preprocessing and training never hold the event loop for long, whatever the size', async () => {
    expect(await longestStall(() => generateBikeDemand(1, 60_000))).toBeLessThan(STALL_BOUND_MS);
    const data = await generateBikeDemand(1, 60_000);
    expect(await longestStall(() => trainModel(data, { ...DEFAULT_HYPERPARAMS, epochs: 300 }))).toBeLessThan(STALL_BOUND_MS);
  }, 60_000);

  it('an abort stops training between two slices with JobInterruptedError, long before it would end', async () => {
    const data = await generateBikeDemand(1, 20_000);
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort('SIGINT'), 100);
    const error = await trainModel(data, { ...DEFAULT_HYPERPARAMS, epochs: 1_000_000 }, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobInterruptedError);
    expect((error as JobInterruptedError).code).toBe(ErrorCodes.JOB_INTERRUPTED);
    expect((error as JobInterruptedError).message).toContain('SIGINT');
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('an already aborted signal trains nothing', async () => {
    const controller = new AbortController();
    controller.abort('SIGTERM');
    await expect(trainModel(await generateBikeDemand(1, 50), DEFAULT_HYPERPARAMS, { signal: controller.signal })).rejects.toThrow(/interrupted \(SIGTERM\)/);
  });

  it('pausing never changes the arithmetic: a slice that pauses at every check gives the same weights bit for bit', async () => {
    const data = await generateBikeDemand(3, 5_000);
    const scaler = await fitScaler(data.features);
    const x = await standardize(data.features, scaler, new CpuSlice(undefined, 0));
    const options = { epochs: 50, learningRate: 0.05, l2: 0.01 };
    const steady = await fitRidge(x, data.targets, options, new CpuSlice(undefined, 1e9));
    const choppy = await fitRidge(x, data.targets, options, new CpuSlice(undefined, 0));
    expect(choppy).toEqual(steady);
    expect(await fitScaler(data.features, new CpuSlice(undefined, 0))).toEqual(scaler);
    expect(await generateBikeDemand(3, 5_000, new CpuSlice(undefined, 0))).toEqual(data);
  });
});
