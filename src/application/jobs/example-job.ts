import { JobInterruptedError } from '../../domain/errors';
import type { z } from 'zod';
import { Job, type JobContext } from './job';
import { defineJob } from './job-definition';
import { parseJobConfig } from './schemas/parse-job-config';
import { ExampleJobSchema, type ExampleJobConfig } from './schemas/example';

/**
 * What an ExampleJob returns: the run it opened and the metric it logged there.
 *
 * @example const { runId, metric, value }: ExampleResult = await runtime.run({ KIND: 'ExampleJob' });
 */
export type ExampleResult = { runId: string; experimentId: string; metric: string; value: number };

/**
 * The smallest useful job: opens a tracked run, logs one metric, ends the run and sends an alert.
 * It exists to check a setup end to end (`mlops-kit run examples/example.yaml`) and to measure start-up cost.
 *
 * @example
 * const { runId } = await runtime.run({ KIND: 'ExampleJob', metric: 'demo_metric', value: 1 });
 */
export class ExampleJob extends Job<ExampleResult> {
  static readonly KIND = 'ExampleJob';
  readonly kind = ExampleJob.KIND;

  private parsed: z.output<typeof ExampleJobSchema> | undefined;

  constructor(
    context: JobContext,
    private readonly input: ExampleJobConfig,
  ) {
    super(context);
  }

  /** The config with defaults, parsed on first use in run(): a job built in code gets the same checks as one from a file. */
  private get config(): z.output<typeof ExampleJobSchema> {
    this.parsed ??= parseJobConfig(ExampleJobSchema, this.input);
    return this.parsed;
  }

  protected async run(): Promise<ExampleResult> {
    const { metric, value, holdMs } = this.config;
    const { tracker, alerter } = this.services;
    const run = await tracker.createRun({ runName: 'example' });
    try {
      await tracker.logMetric(run.runId, metric, value);
      if (holdMs) await this.hold(holdMs);
      await tracker.endRun(run.runId, 'FINISHED');
    } catch (error) {
      // a cancelled or interrupted run is KILLED, not FAILED
      await tracker.endRun(run.runId, this.signal.aborted ? 'KILLED' : 'FAILED').catch(() => undefined);
      throw error;
    }
    this.logger.info(`Logged ${metric}=${value}`, { runId: run.runId });
    await alerter.notify('Example Job Finished', `${metric}=${value} in run ${run.runId}`);
    return { runId: run.runId, experimentId: run.experimentId, metric, value };
  }

  /** Waits `ms`, or until the job is interrupted; an interrupted hold never ends the run FINISHED. */
  private hold(ms: number): Promise<void> {
    const signal = this.signal;
    return new Promise((resolve, reject) => {
      const interrupted = () => new JobInterruptedError(String(signal.reason ?? 'cancelled'));
      if (signal.aborted) return reject(interrupted());
      const onAbort = () => {
        clearTimeout(timer);
        reject(interrupted());
      };
      // one listener per hold, removed when the hold ends: a long-lived runtime must not collect them
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** ExampleJob's definition: a tracked run and an alert, nothing registered. */
export const ExampleJobDefinition = defineJob({
  kind: 'ExampleJob',
  description: 'Logs one metric to a new run: a smoke test of the tracking setup.',
  schema: ExampleJobSchema,
  uses: ['tracker'],
  create: (context, config) => new ExampleJob(context, config),
});
