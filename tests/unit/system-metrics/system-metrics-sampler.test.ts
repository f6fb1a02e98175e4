import { ValidationError } from '../../../src/domain/errors';
import { SystemMetricsSampler, type SystemMetricsSink } from '../../../src/infrastructure/tracking/system-metrics/system-metrics-sampler';
import { SystemMetricNames } from '../../../src/infrastructure/tracking/system-metrics/system-probe';

// Real timers and real readings of this machine; bounds are generous so a loaded CI box passes, and only
// catch a sampler that hangs or never fires.
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}

function recorder() {
  const calls: Array<{ metrics: Record<string, number>; step: number }> = [];
  const sink: SystemMetricsSink = (metrics, step) => {
    calls.push({ metrics, step });
  };
  return { calls, sink };
}

function warnings() {
  const lines: Array<{ message: string; fields?: Record<string, unknown> }> = [];
  return { lines, logger: { warn: (message: string, fields?: Record<string, unknown>) => lines.push({ message, fields }) } };
}

describe('SystemMetricsSampler', () => {
  it("samples every interval under MLflow's names, steps 0, 1, 2 …, with plausible values", async () => {
    const { calls, sink } = recorder();
    const handle = new SystemMetricsSampler().start('run-1', sink, 20);
    await until(() => calls.length >= 3);
    await handle.stop();
    expect(calls.map((c) => c.step).slice(0, 3)).toEqual([0, 1, 2]);
    const metrics = calls[0]!.metrics;
    expect(Object.keys(metrics).sort()).toEqual(Object.values(SystemMetricNames).sort());
    for (const name of [SystemMetricNames.CPU, SystemMetricNames.MEMORY_PERCENT]) {
      expect(metrics[name]).toBeGreaterThanOrEqual(0);
      expect(metrics[name]).toBeLessThanOrEqual(100);
    }
    expect(metrics[SystemMetricNames.MEMORY_MB]).toBeGreaterThan(0);
    expect(metrics[SystemMetricNames.PROCESS_RSS_MB]).toBeGreaterThan(1); // a Node process holds more than 1 MB
    expect(metrics[SystemMetricNames.PROCESS_CPU]).toBeGreaterThanOrEqual(0);
    for (const value of Object.values(metrics)) expect(Math.round(value * 10) / 10).toBe(value); // one decimal, as MLflow rounds
    expect(handle.samples).toBe(calls.length);
  });

  it('stops: no sample after stop() resolves, and stop() is idempotent', async () => {
    const { calls, sink } = recorder();
    const handle = new SystemMetricsSampler().start('run-1', sink, 15);
    await until(() => calls.length >= 1);
    await handle.stop();
    const seen = calls.length;
    await sleep(80);
    expect(calls.length).toBe(seen);
    await expect(handle.stop()).resolves.toBeUndefined();
  });

  it('stop() waits for a sample the sink is still taking, and no new one starts meanwhile', async () => {
    let release!: () => void;
    const started: number[] = [];
    let finished = 0;
    const sink: SystemMetricsSink = async (_metrics, step) => {
      started.push(step);
      await new Promise<void>((resolve) => (release = resolve));
      finished++;
    };
    const handle = new SystemMetricsSampler().start('run-1', sink, 10);
    await until(() => started.length === 1);
    await sleep(50); // several intervals pass while the sink is busy: samples do not pile up
    expect(started).toEqual([0]);
    let stopped = false;
    const stopping = handle.stop().then(() => (stopped = true));
    await sleep(20);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(finished).toBe(1);
    await sleep(40);
    expect(started).toEqual([0]);
  });

  it('logs a failing sink once per run, naming the run, keeps sampling and never throws', async () => {
    const { lines, logger } = warnings();
    let calls = 0;
    const sink: SystemMetricsSink = (_m, step) => {
      calls++;
      if (step % 2 === 0) throw new Error('tracker down');
      return Promise.reject(new Error('still down'));
    };
    const handle = new SystemMetricsSampler(logger).start('run-7', sink, 10);
    await until(() => calls >= 4);
    await handle.stop();
    expect(lines).toHaveLength(1);
    expect(lines[0]!.fields).toMatchObject({ runId: 'run-7', step: 0, error: 'tracker down' });
  });

  it('costs nothing until started and never keeps the event loop alive (its timer is unref’d)', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const sampler = new SystemMetricsSampler();
    expect(timers()).toBe(before);
    const handle = sampler.start('run-1', () => undefined, 60_000);
    try {
      expect(timers()).toBe(before);
    } finally {
      await handle.stop();
    }
  });

  it('refuses an interval that is not a sane number of milliseconds', () => {
    const sampler = new SystemMetricsSampler();
    for (const bad of [0, -5, 1, Number.NaN, Infinity]) {
      expect(() => sampler.start('r', () => undefined, bad)).toThrow(ValidationError);
    }
    expect(() => sampler.start('r', () => undefined, 0)).toThrow(/>= 10, got 0; the default is 10000/);
  });

  it('runs independent samplers for concurrent runs', async () => {
    const a = recorder();
    const b = recorder();
    const sampler = new SystemMetricsSampler();
    const ha = sampler.start('a', a.sink, 10);
    const hb = sampler.start('b', b.sink, 25);
    await until(() => a.calls.length >= 2 && b.calls.length >= 2);
    await ha.stop();
    const bBefore = b.calls.length;
    await until(() => b.calls.length > bBefore);
    await hb.stop();
    expect(b.calls.map((c) => c.step).slice(0, 2)).toEqual([0, 1]);
  });
});
