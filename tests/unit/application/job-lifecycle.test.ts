import { Job, type JobServices } from '../../../src/application/jobs/job';
import type { IAlerter } from '../../../src/domain/ports/alerter';
import type { ILogger, LogFields } from '../../../src/domain/ports/logger';
import type { IModelRegistry } from '../../../src/domain/ports/model-registry';
import type { ITracker } from '../../../src/domain/ports/tracker';

/** Records lifecycle calls of every service in one shared timeline. */
function recordingServices(failOn: Partial<Record<string, 'start' | 'stop'>> = {}) {
  const timeline: string[] = [];
  const lines: { level: string; message: string; fields?: LogFields }[] = [];
  const service = (name: string) => ({
    serviceName: name,
    async start() {
      timeline.push(`start ${name}`);
      if (failOn[name] === 'start') throw new Error(`${name} cannot start`);
    },
    async stop() {
      timeline.push(`stop ${name}`);
      if (failOn[name] === 'stop') throw new Error(`${name} cannot stop`);
    },
  });
  const log = (level: string) => (message: string, fields?: LogFields) => {
    lines.push({ level, message, fields });
  };
  const logger: ILogger = {
    ...service('logger'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: () => logger,
  };
  const services: JobServices = {
    logger,
    alerter: { ...service('alerter'), notify: async () => undefined } as IAlerter,
    tracker: service('tracker') as unknown as ITracker,
    registry: service('registry') as unknown as IModelRegistry,
  };
  return { services, timeline, lines };
}

class ScriptedJob extends Job<{ ok: boolean }> {
  readonly kind = 'ScriptedJob';
  constructor(services: JobServices, private readonly body: (timeline: string[]) => Promise<void>, private readonly timeline: string[]) {
    super(services);
  }
  protected async run() {
    this.timeline.push('run');
    await this.body(this.timeline);
    return { ok: true };
  }
}

describe('Job lifecycle', () => {
  it('starts services in order, runs, stops them in reverse and returns the result', async () => {
    const { services, timeline, lines } = recordingServices();
    const result = await new ScriptedJob(services, async () => undefined, timeline).execute();
    expect(result).toEqual({ ok: true });
    expect(timeline).toEqual([
      'start logger', 'start alerter', 'start tracker', 'start registry',
      'run',
      'stop registry', 'stop tracker', 'stop alerter', 'stop logger',
    ]);
    const lifecycle = lines.map((l) => l.message).filter((m) => m.startsWith('['));
    expect(lifecycle).toEqual([
      '[START] logger', '[START] alerter', '[START] tracker', '[START] registry',
      '[STOP] registry', '[STOP] tracker', '[STOP] alerter', '[STOP] logger',
    ]);
  });

  it('re-throws the error from run() unchanged, after stopping every service, and logs it', async () => {
    const { services, timeline, lines } = recordingServices();
    const boom = new Error('training diverged');
    const job = new ScriptedJob(services, async () => { throw boom; }, timeline);
    await expect(job.execute()).rejects.toBe(boom);
    expect(timeline.slice(-4)).toEqual(['stop registry', 'stop tracker', 'stop alerter', 'stop logger']);
    expect(lines.some((l) => l.level === 'error' && l.message.includes('training diverged'))).toBe(true);
  });

  it('never lets an error while stopping hide the run error', async () => {
    const { services, timeline, lines } = recordingServices({ tracker: 'stop' });
    const boom = new Error('run failed first');
    await expect(new ScriptedJob(services, async () => { throw boom; }, timeline).execute()).rejects.toBe(boom);
    // the failing stop did not prevent the others from stopping
    expect(timeline).toContain('stop alerter');
    expect(timeline).toContain('stop logger');
    expect(lines.some((l) => l.level === 'error' && l.message.includes('tracker cannot stop'))).toBe(true);
  });

  it('fails a successful run when a service cannot stop (data may not have been flushed)', async () => {
    const { services, timeline } = recordingServices({ tracker: 'stop' });
    await expect(new ScriptedJob(services, async () => undefined, timeline).execute()).rejects.toThrow('tracker cannot stop');
    expect(timeline).toContain('stop logger');
  });

  it('stops what was started, in reverse, when a later service fails to start, and does not run', async () => {
    const { services, timeline } = recordingServices({ tracker: 'start' });
    await expect(new ScriptedJob(services, async () => undefined, timeline).execute()).rejects.toThrow('tracker cannot start');
    expect(timeline).toEqual(['start logger', 'start alerter', 'start tracker', 'stop alerter', 'stop logger']);
  });

  it('starts an adapter that implements two ports only once', async () => {
    const { services, timeline } = recordingServices();
    const shared = services.tracker as unknown as IModelRegistry;
    await new ScriptedJob({ ...services, registry: shared }, async () => undefined, timeline).execute();
    expect(timeline.filter((t) => t === 'start tracker')).toHaveLength(1);
    expect(timeline).not.toContain('start registry');
  });

  it('works with `await using`: leaving the scope stops the services', async () => {
    const { services, timeline } = recordingServices();
    {
      await using job = new ScriptedJob(services, async () => { throw new Error('x'); }, timeline);
      await job.execute().catch(() => undefined);
      timeline.push('scope end');
    }
    // execute already stopped everything; dispose is idempotent and stops nothing twice
    expect(timeline.filter((t) => t.startsWith('stop'))).toHaveLength(4);
  });

  it('interrupt() aborts the job signal and stops services while run() is still pending', async () => {
    const { services, timeline } = recordingServices();
    let seenAbort = false;
    class LongJob extends Job {
      readonly kind = 'LongJob';
      protected run() {
        return new Promise<Record<string, unknown>>((resolve) => {
          this.signal.addEventListener('abort', () => { seenAbort = true; resolve({}); });
        });
      }
    }
    const job = new LongJob(services);
    const running = job.execute();
    await new Promise((r) => setTimeout(r, 10));
    await job.interrupt('SIGTERM');
    expect(seenAbort).toBe(true);
    expect(timeline.slice(-4)).toEqual(['stop registry', 'stop tracker', 'stop alerter', 'stop logger']);
    await running;
  });

  it('interrupt() during a stop already in progress waits for that stop to finish (a signal never cuts a flush short)', async () => {
    const { services, timeline } = recordingServices();
    let finishFlush!: () => void;
    const tracker = services.tracker as unknown as { stop: () => Promise<void> };
    const plainStop = tracker.stop;
    tracker.stop = async () => {
      await new Promise<void>((r) => (finishFlush = r)); // a slow flush
      await plainStop();
    };
    const job = new ScriptedJob(services, async () => undefined, timeline);
    const executing = job.execute();
    while (!finishFlush) await new Promise((r) => setTimeout(r, 5)); // execute() is now stopping the tracker
    let interruptDone = false;
    const interrupting = job.interrupt('SIGTERM').then(() => (interruptDone = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(interruptDone).toBe(false); // still waiting for the flush
    finishFlush();
    await Promise.all([executing, interrupting]);
    expect(timeline.slice(-3)).toEqual(['stop tracker', 'stop alerter', 'stop logger']);
  });
});
