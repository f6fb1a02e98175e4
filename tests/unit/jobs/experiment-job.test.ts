import { ExperimentJob } from '../../../src/application/jobs/experiment-job';
import { TrainingJob } from '../../../src/application/jobs/training-job';
import { configIdOf } from '../../../src/application/experiments/config-id';
import { ConfigError, ErrorCodes } from '../../../src/domain/errors';
import { MlflowTags } from '../../../src/domain/model/run';
import { memoryServices, rejectionOf } from './job-services';

class FakeStream {
  chunks: string[] = [];
  constructor(readonly isTTY: boolean) {}
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
}

const quiet = { progressStream: new FakeStream(false) };

function childrenOf(env: ReturnType<typeof memoryServices>, parentRunId: string) {
  return env.tracker.runs().filter((r) => r.data.tags[MlflowTags.PARENT_RUN_ID] === parentRunId);
}

describe('ExperimentJob', () => {
  it('trains every grid branch as a nested run under a parent named after the experiment, and picks the best', async () => {
    const env = memoryServices();
    const stream = new FakeStream(true);
    const job = new ExperimentJob(
      env.services,
      { KIND: 'ExperimentJob', name: 'l2-sweep', model: 'bike-demand', base: { rows: 200, epochs: 40 }, grid: { l2: [0, 0.01, 0.5], learningRate: [0.05, 0.1] }, concurrency: 3 },
      { progressStream: stream },
    );
    const result = await job.execute();

    expect(result).toMatchObject({ total: 6, succeeded: 6, failed: 0, skipped: 0 });
    const parent = env.tracker.run(result.parentRunId);
    expect(parent.info).toMatchObject({ runName: 'l2-sweep', status: 'FINISHED' });
    expect(parent.data.tags).toMatchObject({ 'branches.total': '6', 'branches.succeeded': '6', 'best.configId': result.best.configId, 'mlops.model': 'bike-demand' });
    expect(parent.data.params).toMatchObject({ branches: '6', concurrency: '3', base: '{"epochs":40,"rows":200}' });

    const children = childrenOf(env, result.parentRunId);
    expect(children).toHaveLength(6);
    for (const child of children) {
      expect(child.info.status).toBe('FINISHED');
      expect(Object.keys(child.data.params).sort()).toEqual(['epochs', 'l2', 'learningRate', 'rows']);
      expect(child.data.metrics.rmse?.value).toEqual(expect.any(Number));
      expect(child.data.metrics.r2?.value).toEqual(expect.any(Number));
    }
    const rmses = children.map((c) => c.data.metrics.rmse!.value);
    expect(result.best.rmse).toBe(Math.min(...rmses));
    expect(result.best.configId).toBe(configIdOf(result.best.config));
    expect(env.tracker.metricValues(result.parentRunId, 'best_rmse')).toEqual([result.best.rmse]);
    // branches register nothing
    expect(env.registryCalls).toEqual([]);
    expect(env.alerter.alerts).toEqual([{ title: 'Experiment Job Finished', message: `6 branches, best rmse ${result.best.rmse.toFixed(4)}`, level: 'info' }]);
    expect(stream.chunks.at(-2)).toBe('\r\x1b[2Kl2-sweep: 6/6 done · 0 running · 0 failed · 0 skipped');
  });

  it('a branch trains exactly what TrainingJob trains for the same parameters', async () => {
    const env = memoryServices();
    const params = { seed: 11, rows: 150, epochs: 60, learningRate: 0.05, l2: 0.01, testFraction: 0.25 };
    const training = await new TrainingJob(env.services, { KIND: 'TrainingJob', model: 'm', register: false, ...params }).execute();
    const experiment = await new ExperimentJob(env.services, { KIND: 'ExperimentJob', name: 'one', variants: [params] }, quiet).execute();
    expect(experiment.best.rmse).toBe(training.rmse);
  });

  it('collects a failing branch (FAILED nested run with exception tags) and still succeeds', async () => {
    const env = memoryServices();
    const job = new ExperimentJob(env.services, { KIND: 'ExperimentJob', name: 'mixed', base: { rows: 120, epochs: 200 }, variants: [{ learningRate: 0.05 }, { learningRate: 80 }, { learningRate: 0.1 }] }, quiet);
    const result = await job.execute();
    expect(result).toMatchObject({ total: 3, succeeded: 2, failed: 1, skipped: 0 });
    const failed = childrenOf(env, result.parentRunId).find((r) => r.info.status === 'FAILED')!;
    expect(failed.data.params.learningRate).toBe('80');
    expect(failed.data.tags['exception.type']).toBe('ValidationError');
    expect(failed.data.tags['exception.message']).toMatch(/Training diverged/);
    expect(failed.data.tags['exception.stack']).toContain('ValidationError');
    expect(env.logger.messages('warn')).toEqual([expect.stringMatching(/^Branch [0-9a-f]{12} failed after 0 retries: ValidationError: Training diverged/)]);
  });

  it('failFast: the first failure skips the rest (KILLED runs) and fails the job with JOB_FAILED', async () => {
    const env = memoryServices();
    const job = new ExperimentJob(
      env.services,
      { KIND: 'ExperimentJob', name: 'ff', base: { rows: 100, epochs: 200 }, variants: [{ learningRate: 80 }, { l2: 0.1 }, { l2: 0.2 }], concurrency: 1, failFast: true },
      quiet,
    );
    const error = await rejectionOf(job.execute());
    expect(error.code).toBe(ErrorCodes.JOB_FAILED);
    expect(error.message).toMatch(/^Experiment "ff": 0\/3 branches succeeded \(1 failed, 2 skipped\); branch [0-9a-f]{12} failed: ValidationError: Training diverged/);
    const parent = env.tracker.runs().find((r) => r.info.runName === 'ff')!;
    expect(parent.info.status).toBe('FAILED');
    expect(childrenOf(env, parent.info.runId).map((r) => r.info.status).sort()).toEqual(['FAILED', 'KILLED', 'KILLED']);
    expect(env.alerter.alerts).toEqual([]);
  });

  it('fails with JOB_FAILED when no branch succeeds', async () => {
    const env = memoryServices();
    const job = new ExperimentJob(env.services, { KIND: 'ExperimentJob', name: 'bad', base: { rows: 100 }, grid: { learningRate: [60, 90] } }, quiet);
    const error = await rejectionOf(job.execute());
    expect(error.code).toBe(ErrorCodes.JOB_FAILED);
    expect(error.message).toContain('0/2 branches succeeded (2 failed, 0 skipped)');
  });

  it('rejects an unknown or mistyped branch parameter as a ConfigError before any run exists', async () => {
    const env = memoryServices();
    const typo = await rejectionOf(new ExperimentJob(env.services, { KIND: 'ExperimentJob', name: 'x', grid: { lr: [0.1] } }, quiet).execute());
    expect(typo).toBeInstanceOf(ConfigError);
    expect(typo.message).toBe('job (branch 0: {"lr":0.1}): unknown training parameter(s) lr; known: seed, rows, epochs, learningRate, l2, testFraction, dataPath.');
    const wrongType = await rejectionOf(new ExperimentJob(env.services, { KIND: 'ExperimentJob', name: 'x', variants: [{ l2: 'big' }] }, quiet).execute());
    expect(wrongType.message).toBe('job (branch 0: {"l2":"big"}): Hyperparameter l2 must be a number, got "big".');
    const fewRows = await rejectionOf(new ExperimentJob(env.services, { KIND: 'ExperimentJob', name: 'x', variants: [{ rows: 1 }] }, quiet).execute());
    expect(fewRows.message).toMatch(/rows must be a whole number >= 2, got 1/);
    expect(env.tracker.runs()).toEqual([]);
  });

  it('retries are recorded on each nested run', async () => {
    const env = memoryServices();
    const result = await new ExperimentJob(env.services, { KIND: 'ExperimentJob', name: 'r', base: { rows: 80, epochs: 200 }, variants: [{ learningRate: 70 }, { learningRate: 0.05 }], retries: 2, retryBackoffMs: 1 }, quiet).execute();
    const failed = childrenOf(env, result.parentRunId).find((r) => r.info.status === 'FAILED')!;
    expect(failed.data.tags['branch.retryCount']).toBe('2');
    expect(result.failed).toBe(1);
  });

  it('an interrupt skips the remaining branches and ends with JobInterruptedError', async () => {
    const env = memoryServices();
    const interrupt = new AbortController();
    // the progress line is the hook: interrupt as soon as the first branch is done
    const stream = {
      isTTY: true,
      write: (chunk: string) => {
        if (chunk.includes(' 1/5 done')) interrupt.abort('SIGINT');
        return true;
      },
    };
    const job = new ExperimentJob(
      { ...env.services, signal: interrupt.signal },
      { KIND: 'ExperimentJob', name: 'stop', base: { rows: 60, epochs: 10 }, grid: { l2: [0, 0.1, 0.2, 0.3, 0.4] }, concurrency: 1 },
      { progressStream: stream },
    );
    const error = await rejectionOf(job.execute());
    expect(error.code).toBe(ErrorCodes.JOB_INTERRUPTED);
    const parent = env.tracker.runs().find((r) => r.info.runName === 'stop')!;
    expect(parent.info.status).toBe('KILLED');
    const statuses = childrenOf(env, parent.info.runId).map((r) => r.data.tags['branch.status']);
    expect(statuses.filter((s) => s === 'success').length).toBeGreaterThanOrEqual(1);
    // branches that never started are counted, but get no run once the job is interrupted (it is stopping)
    expect(statuses).not.toContain('skipped');
    expect(parent.data.tags['branches.skipped']).toBe('4');
  });
});
