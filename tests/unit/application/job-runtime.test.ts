import { z } from 'zod';
import { ConfigError, createRuntime, defineJob, ErrorCodes, Job, RuntimeClosedError, TYPES, type IAlerter, type ILogger, type JobContext } from 'mlops-kit';
import { createTestContainer, InMemoryModelRegistry, InMemoryTracker, MemoryAlerter, MemoryLogger, testAlerter, testLogger, testRegistry, testTracker } from 'mlops-kit/testing';

/** Wraps an adapter so its start/stop calls land in one shared timeline. */
function recorded<T extends { start(): Promise<void>; stop(): Promise<void> }>(name: string, service: T, timeline: string[]): T {
  return new Proxy(service, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key !== 'start' && key !== 'stop') return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: unknown[]) => {
        timeline.push(`${String(key)} ${name}`);
        await (value as (...a: unknown[]) => Promise<void>).apply(target, args);
      };
    },
  });
}

function setup(options: { alerter?: IAlerter; logger?: ILogger; alertTimeoutMs?: number } = {}) {
  const timeline: string[] = [];
  const memoryLogger = new MemoryLogger();
  const tracker = new InMemoryTracker({ experimentName: 'runtime' });
  const registry = new InMemoryModelRegistry();
  const alerter = new MemoryAlerter();
  const container = createTestContainer({
    overrides: {
      [TYPES.Logger]: recorded('logger', options.logger ?? memoryLogger, timeline),
      [TYPES.Alerter]: recorded('alerter', options.alerter ?? alerter, timeline),
      [TYPES.Tracker]: recorded('tracker', tracker, timeline),
      [TYPES.ModelRegistry]: recorded('registry', registry, timeline),
    },
    ...(options.alertTimeoutMs !== undefined && { alertTimeoutMs: options.alertTimeoutMs }),
  });
  return { runtime: createRuntime(container), timeline, tracker, registry, alerter, logger: memoryLogger };
}

async function seedModel(registry: InMemoryModelRegistry, tracker: InMemoryTracker, model: string): Promise<void> {
  await registry.createRegisteredModel(model);
  const run = await tracker.createRun({});
  await registry.createModelVersion({ name: model, source: `${run.artifactUri}/model`, runId: run.runId });
}

describe('JobRuntime: one lifecycle, many jobs', () => {
  it('starts logger and alerter at start(), each other service once on first need, and stops them in reverse at close()', async () => {
    const { runtime, timeline, tracker, registry } = setup();
    await runtime.start();
    expect(timeline).toEqual(['start logger', 'start alerter']);
    await tracker.start();
    await seedModel(registry, tracker, 'churn');
    timeline.length = 0;

    // a PromotionJob needs the registry only: no tracker start, no experiment
    await runtime.run({ KIND: 'PromotionJob', model: 'churn' });
    expect(timeline).toEqual(['start registry']);
    await Promise.all(Array.from({ length: 20 }, (_, i) => runtime.run({ KIND: 'ExampleJob', metric: `m${i}`, value: i })));
    expect(timeline).toEqual(['start registry', 'start tracker']);

    await runtime.close();
    expect(timeline.slice(2)).toEqual(['stop tracker', 'stop registry', 'stop alerter', 'stop logger']);
    expect(tracker.runs().filter((r) => r.info.runName === 'example').map((r) => r.info.status)).toEqual(Array(20).fill('FINISHED'));
  });

  it('a failing job stops nothing: the next job runs on the same started services', async () => {
    const { runtime, timeline, tracker } = setup();
    await runtime.start();
    const failed = await runtime.run({ KIND: 'PromotionJob', model: 'missing' }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: ErrorCodes.MODEL_NOT_FOUND });
    const ok = await runtime.run({ KIND: 'ExampleJob' });
    expect(ok.metric).toBe('demo_metric');
    expect(timeline.filter((t) => t.startsWith('stop'))).toEqual([]);
    await runtime.close();
    expect(tracker.runs().map((r) => r.info.status)).toEqual(['FINISHED']);
  });

  it('close() waits for a job that finishes within the deadline', async () => {
    const { runtime, tracker } = setup();
    await runtime.start();
    const running = runtime.run({ KIND: 'ExampleJob', holdMs: 200 });
    await new Promise((r) => setTimeout(r, 50));
    await runtime.close({ deadlineMs: 5_000 });
    await expect(running).resolves.toMatchObject({ metric: 'demo_metric' });
    expect(tracker.runs()[0]!.info.status).toBe('FINISHED');
  });

  it('close() interrupts a job past its deadline: JOB_INTERRUPTED, its run KILLED, its metric kept, services stopped after', async () => {
    const { runtime, tracker, timeline, logger } = setup();
    await runtime.start();
    const running = runtime.run({ KIND: 'ExampleJob', metric: 'kept', value: 7, holdMs: 60_000 }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await runtime.close({ deadlineMs: 100 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await running).toMatchObject({ code: ErrorCodes.JOB_INTERRUPTED });
    const [run] = tracker.runs();
    expect(run!.info.status).toBe('KILLED');
    expect(tracker.metrics(run!.info.runId, 'kept').map((m) => m.value)).toEqual([7]);
    expect(timeline.at(-1)).toBe('stop logger');
    // a planned shutdown is no failure to page on: warn, not error
    expect(logger.messages('error')).toEqual([]);
    expect(logger.messages('warn')).toContain('Job ExampleJob failed: JOB_INTERRUPTED: Job interrupted (runtime closed); its open runs were marked KILLED.');
  });

  it('starts only the services named at boot with { required: true }; jobs start theirs lazily without it', async () => {
    const { runtime, tracker, registry } = setup();
    const calls: string[] = [];
    for (const [name, service] of [['tracker', tracker], ['registry', registry]] as const) {
      const start = service.start.bind(service);
      service.start = (options?: { required?: boolean }) => {
        calls.push(`${name} ${JSON.stringify(options ?? {})}`);
        return start(options);
      };
    }
    await runtime.start({ services: ['registry'] });
    await runtime.run({ KIND: 'ExampleJob' });
    await runtime.close();
    expect(calls).toEqual(['registry {"required":true}', 'tracker {}']);
  });

  it('an AbortSignal cancels one job; the others finish', async () => {
    const { runtime, tracker } = setup();
    await runtime.start();
    const request = new AbortController();
    const cancelled = runtime.run({ KIND: 'ExampleJob', metric: 'gone', holdMs: 60_000 }, { signal: request.signal }).catch((e: unknown) => e);
    const others = Promise.all([1, 2, 3].map((i) => runtime.run({ KIND: 'ExampleJob', metric: `ok${i}`, holdMs: 100 })));
    setTimeout(() => request.abort(), 50);
    expect(await cancelled).toMatchObject({ code: ErrorCodes.JOB_INTERRUPTED });
    expect((await others).map((r) => r.metric)).toEqual(['ok1', 'ok2', 'ok3']);
    await runtime.close();
    const statuses = Object.fromEntries(tracker.runs().map((r) => [Object.keys(r.data.metrics)[0], r.info.status]));
    expect(statuses).toEqual({ gone: 'KILLED', ok1: 'FINISHED', ok2: 'FINISHED', ok3: 'FINISHED' });
  });

  it('refuses jobs before start() and while closing, with RUNTIME_CLOSED; a closed runtime starts again', async () => {
    const { runtime, tracker } = setup();
    await expect(runtime.run({ KIND: 'ExampleJob' })).rejects.toThrow(/not started: call `await runtime.start\(\)`/);
    await runtime.start();
    const holding = runtime.run({ KIND: 'ExampleJob', holdMs: 150 });
    const closing = runtime.close();
    const refused = await runtime.run({ KIND: 'ExampleJob' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RuntimeClosedError);
    expect((refused as RuntimeClosedError).code).toBe(ErrorCodes.RUNTIME_CLOSED);
    await closing;
    await holding;
    // stop → start: every adapter comes back
    await runtime.start();
    await runtime.run({ KIND: 'ExampleJob', metric: 'again' });
    await runtime.close();
    expect(tracker.runs().map((r) => r.info.status)).toEqual(['FINISHED', 'FINISHED']);
  });

  it('a service that fails to start fails that job only; the next job tries again', async () => {
    const { runtime, tracker } = setup();
    const start = tracker.start.bind(tracker);
    let attempts = 0;
    tracker.start = async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('server down at boot');
      await start();
    };
    await runtime.start();
    await expect(runtime.run({ KIND: 'ExampleJob' })).rejects.toThrow('server down at boot');
    await expect(runtime.run({ KIND: 'ExampleJob' })).resolves.toMatchObject({ value: 1 });
    await runtime.close();
  });
});

describe('JobRuntime: ports keep their promises', () => {
  it('an alerter that throws never fails a job whose work succeeded: one warning naming the alert and the cause', async () => {
    const throwing: IAlerter = {
      serviceName: 'alerter:slack',
      start: async () => undefined,
      stop: async () => undefined,
      notify: async () => {
        throw new TypeError('fetch failed');
      },
    };
    const { runtime, logger, tracker } = setup({ alerter: throwing });
    await runtime.start();
    await expect(runtime.run({ KIND: 'ExampleJob' })).resolves.toMatchObject({ metric: 'demo_metric' });
    await runtime.close();
    const warnings = logger.entries.filter((e) => e.level === 'warn').map((e) => e.message);
    expect(warnings).toEqual(['Alert "Example Job Finished" was not sent: fetch failed']);
    expect(tracker.runs()[0]!.info.status).toBe('FINISHED');
  });

  it('an alerter that hangs is cut off after alertTimeoutMs', async () => {
    const hanging: IAlerter = {
      serviceName: 'alerter:hang',
      start: async () => undefined,
      stop: async () => undefined,
      notify: () => new Promise<void>(() => undefined),
    };
    const { runtime, logger } = setup({ alerter: hanging, alertTimeoutMs: 200 });
    await runtime.start();
    const started = Date.now();
    await runtime.run({ KIND: 'ExampleJob' });
    expect(Date.now() - started).toBeLessThan(5_000);
    await runtime.close();
    expect(logger.messages('warn')).toEqual(['Alert "Example Job Finished" was not sent: no answer within 200 ms']);
  });

  it('a logger whose sink throws never fails a job; one notice on stderr', async () => {
    const broken: ILogger = {
      serviceName: 'logger:broken',
      start: async () => undefined,
      stop: async () => undefined,
      debug: () => undefined,
      info: () => {
        throw new Error('EPIPE: sink closed');
      },
      warn: () => undefined,
      error: () => undefined,
      child: () => broken,
    };
    const writes: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      const { runtime } = setup({ logger: broken });
      await runtime.start();
      await expect(runtime.run({ KIND: 'ExampleJob' })).resolves.toMatchObject({ value: 1 });
      await runtime.close();
    } finally {
      write.mockRestore();
    }
    expect(writes.filter((w) => w.includes('the logger failed (EPIPE: sink closed)'))).toHaveLength(1);
  });
});

// An app's own job kind, defined exactly as the built-ins are.
const GreetSchema = z.strictObject({ KIND: z.literal('GreetJob'), name: z.string().min(1), times: z.number().int().min(1).default(1) });
class GreetJob extends Job<{ greeting: string }> {
  readonly kind = 'GreetJob';
  constructor(context: JobContext, private readonly config: z.output<typeof GreetSchema>) {
    super(context);
  }
  protected async run() {
    const greeting = Array(this.config.times).fill(`hello ${this.config.name}`).join(', ');
    await this.services.alerter.notify('Greeted', greeting);
    return { greeting };
  }
}
const GreetJobDefinition = defineJob({ kind: 'GreetJob', description: 'Greets someone.', schema: GreetSchema, uses: [], create: (c, config) => new GreetJob(c, config) });

describe('JobRuntime: an app registers its own job kinds', () => {
  it('runs a custom kind with its defaults, starting no tracker or registry', async () => {
    const alerter = new MemoryAlerter();
    const tracker = new InMemoryTracker();
    const container = createTestContainer({ jobs: [GreetJobDefinition], overrides: { [TYPES.Alerter]: alerter, [TYPES.Tracker]: tracker } });
    const runtime = createRuntime(container);
    await runtime.start();
    const result = await runtime.run({ KIND: 'GreetJob', name: 'Ada' });
    expect(result.greeting).toBe('hello Ada');
    expect(alerter.alerts.map((a) => a.message)).toEqual(['hello Ada']);
    await runtime.close();
    expect(tracker.runs()).toEqual([]);
  });

  it('validates a custom kind like a built-in: one ConfigError naming the key', async () => {
    const runtime = createRuntime(createTestContainer({ jobs: [GreetJobDefinition] }));
    await runtime.start();
    // @ts-expect-error -- `name` is required by GreetJob's schema
    const error = await runtime.run({ KIND: 'GreetJob', times: 2 }).catch((e: unknown) => e);
    await runtime.close();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/^job\.name: /);
  });

  it('the config section validates a custom kind too, and a kind defined twice is refused', () => {
    expect(() => createTestContainer({ jobs: [GreetJobDefinition], config: { job: { KIND: 'GreetJob', name: 'x', extra: 1 } as never } })).toThrow(
      /job\.extra: unknown key/,
    );
    expect(() => createTestContainer({ jobs: [GreetJobDefinition, GreetJobDefinition] })).toThrow(/"GreetJob" is defined twice/);
  });
});

describe('JobRuntime: races at start-up and cancellation', () => {
  /** An adapter whose start takes `ms`. */
  function slowStart<T extends { start(): Promise<void> }>(service: T, ms: number): T {
    const start = service.start.bind(service);
    service.start = async () => {
      await new Promise((r) => setTimeout(r, ms));
      await start();
    };
    return service;
  }

  it('close() during start(): start() rejects with RUNTIME_CLOSED and nothing it started stays running', async () => {
    const timeline: string[] = [];
    const tracker = slowStart(new InMemoryTracker(), 150);
    const container = createTestContainer({ overrides: { [TYPES.Tracker]: recorded('tracker', tracker, timeline), [TYPES.Logger]: recorded('logger', new MemoryLogger(), timeline) } });
    const runtime = createRuntime(container);
    const starting = runtime.start({ services: ['tracker'] }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 30));
    await runtime.close({ graceMs: 20 });
    expect(await starting).toMatchObject({ code: ErrorCodes.RUNTIME_CLOSED });
    await new Promise((r) => setTimeout(r, 200));
    // every start has its stop, the tracker's included (it finished starting after the close)
    expect(timeline.filter((t) => t.startsWith('start')).length).toBe(timeline.filter((t) => t.startsWith('stop')).length);
    expect(timeline.at(-1)).toBe('stop tracker');
  });

  it('a job cancelled while its service starts never runs: JOB_INTERRUPTED, no run created', async () => {
    const tracker = slowStart(new InMemoryTracker(), 300);
    const runtime = createRuntime(createTestContainer({ overrides: { [TYPES.Tracker]: tracker } }));
    await runtime.start();
    const request = new AbortController();
    const running = runtime.run({ KIND: 'ExampleJob' }, { signal: request.signal }).catch((e: unknown) => e);
    setTimeout(() => request.abort(new Error('client gone')), 30);
    const started = Date.now();
    expect(await running).toMatchObject({ code: ErrorCodes.JOB_INTERRUPTED, message: expect.stringContaining('(cancelled)') });
    expect(Date.now() - started).toBeLessThan(250);
    await runtime.close();
    expect(tracker.runs()).toEqual([]);
  });

  it('a signal already aborted is JOB_INTERRUPTED, never a raw DOMException', async () => {
    const runtime = createRuntime(createTestContainer());
    await runtime.start();
    const error = await runtime.run({ KIND: 'ExampleJob' }, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    await runtime.close();
    expect(error).toMatchObject({ code: ErrorCodes.JOB_INTERRUPTED });
  });

  it('ensureServices refuses a runtime that is not started, so a closed one is never revived', async () => {
    const runtime = createRuntime(createTestContainer());
    await expect(runtime.ensureServices(['tracker'])).rejects.toMatchObject({ code: ErrorCodes.RUNTIME_CLOSED });
  });
});

describe('typed test getters (mlops-kit/testing)', () => {
  it('read back what a job logged without a cast, and say what is bound when it is not the in-memory adapter', async () => {
    const container = createTestContainer();
    const runtime = createRuntime(container);
    await runtime.start();
    await runtime.run({ KIND: 'ExampleJob', metric: 'acc', value: 0.9 });
    await runtime.close();
    const [run] = testTracker(container).runs();
    expect(testTracker(container).metrics(run!.info.runId, 'acc').map((m) => m.value)).toEqual([0.9]);
    expect(testRegistry(container).versions('none')).toEqual([]);
    expect(testAlerter(container).alerts.map((a) => a.title)).toEqual(['Example Job Finished']);
    expect(testLogger(container).messages('error')).toEqual([]);

    const local = createTestContainer({ config: { tracking: { uri: 'noop' } } });
    expect(() => testTracker(local)).toThrow("The container's tracker is a NoOpTracker, not an InMemoryTracker: it was overridden, or set by the config.");
  });
});
