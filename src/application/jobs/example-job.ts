import { Job, type JobServices } from './job';

export interface ExampleJobConfig {
  KIND: 'ExampleJob';
  /** Metric key logged in the run. */
  metric: string;
  value: number;
  /** Keeps the run open this long before ending it (to try signals and dashboards); 0 by default. */
  holdMs?: number;
}

/**
 * The smallest useful job: opens a tracked run, logs one metric, ends the run and sends an alert.
 * It exists to check a setup end to end (`mlops-kit run examples/example.yaml`) and to measure start-up cost.
 *
 * @example
 * const job = new ExampleJob(services, { KIND: 'ExampleJob', metric: 'demo_metric', value: 1 });
 * const { runId } = await job.execute();
 */
export class ExampleJob extends Job<{ runId: string; experimentId: string; metric: string; value: number }> {
  static readonly KIND = 'ExampleJob';
  readonly kind = ExampleJob.KIND;

  constructor(services: JobServices, private readonly config: ExampleJobConfig) {
    super(services);
  }

  protected async run() {
    const { tracker, alerter } = this.services;
    const run = await tracker.createRun({ runName: 'example' });
    try {
      await tracker.logMetric(run.runId, this.config.metric, this.config.value);
      if (this.config.holdMs) await this.hold(this.config.holdMs);
      await tracker.endRun(run.runId, 'FINISHED');
    } catch (error) {
      // when interrupted, the tracker's stop() marks the run KILLED; FAILED would be wrong
      if (!this.signal.aborted) await tracker.endRun(run.runId, 'FAILED').catch(() => undefined);
      throw error;
    }
    this.logger.info(`Logged ${this.config.metric}=${this.config.value}`, { runId: run.runId });
    await alerter.notify('Example Job Finished', `${this.config.metric}=${this.config.value} in run ${run.runId}`);
    return { runId: run.runId, experimentId: run.experimentId, metric: this.config.metric, value: this.config.value };
  }

  /** Waits `ms`, or until the job is interrupted; an interrupted hold never ends the run FINISHED. */
  private hold(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      this.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new Error(`interrupted: ${String(this.signal.reason)}`));
      });
    });
  }
}
