import type { ArtifactInfo } from '../../../domain/model/artifact';
import type { Experiment } from '../../../domain/model/experiment';
import type { Metric, MetricOptions, Page, Run, RunConfig, RunInfo, RunStatus, SearchRunsQuery } from '../../../domain/model/run';
import type { ITracker, ParamValue } from '../../../domain/ports/tracker';
import { newRunId } from '../shared/run-values';

/**
 * ITracker that records nothing: for jobs run with `tracking.uri: noop` (dry runs, benchmarks). Every
 * call succeeds and returns well-formed values (32-hex run ids, an empty run for `getRun`), so a job
 * behaves the same with tracking switched off. Logging never throws, not even for invalid keys.
 *
 * @example
 * const tracker = new NoOpTracker();
 * const run = await tracker.createRun({ runName: 'dry-run' });
 * await tracker.logMetric(run.runId, 'rmse', 0.4); // discarded
 */
export class NoOpTracker implements ITracker {
  readonly serviceName = 'tracker:noop';
  readonly defaultExperimentId = '0';

  constructor(private readonly options: { clock?: () => number } = {}) {}

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async getExperiment(experimentId: string): Promise<Experiment> {
    return { experimentId, name: experimentId === '0' ? 'Default' : `experiment-${experimentId}`, artifactLocation: '', lifecycleStage: 'active', tags: {} };
  }

  async getExperimentByName(_name: string): Promise<Experiment | undefined> {
    return undefined;
  }

  async getOrCreateExperiment(_name: string, _tags?: Record<string, string>): Promise<string> {
    return '0';
  }

  async createRun(config: RunConfig = {}): Promise<RunInfo> {
    return this.info(newRunId(), config.experimentId ?? '0', config.runName ?? 'noop', config.startTime);
  }

  async endRun(_runId: string, _status?: RunStatus, _endTime?: number): Promise<void> {}

  async getRun(runId: string): Promise<Run> {
    return { info: this.info(runId, '0', '', undefined), data: { metrics: {}, params: {}, tags: {} } };
  }

  async searchRuns(_query: SearchRunsQuery): Promise<Page<Run>> {
    return { items: [] };
  }

  async logMetric(_runId: string, _key: string, _value: number, _options?: MetricOptions): Promise<void> {}
  async logMetrics(_runId: string, _metrics: Record<string, number>, _options?: MetricOptions): Promise<void> {}
  async logParam(_runId: string, _key: string, _value: ParamValue): Promise<void> {}
  async logParams(_runId: string, _params: Record<string, ParamValue>): Promise<void> {}
  async setTag(_runId: string, _key: string, _value: string): Promise<void> {}
  async setTags(_runId: string, _tags: Record<string, string>): Promise<void> {}

  async getMetricHistory(_runId: string, _key: string): Promise<Metric[]> {
    return [];
  }

  async logArtifact(_runId: string, _localPath: string, _artifactPath?: string): Promise<void> {}

  async listArtifacts(_runId: string, _path?: string): Promise<ArtifactInfo[]> {
    return [];
  }

  /** Nothing was stored, so nothing is written: returns where the file would have gone. */
  async downloadArtifact(_runId: string, path: string, destDir: string): Promise<string> {
    return `${destDir.replace(/[\\/]+$/, '')}/${path}`;
  }

  async flush(_runId?: string): Promise<void> {}

  private info(runId: string, experimentId: string, runName: string, startTime: number | undefined): RunInfo {
    return {
      runId, experimentId, runName, status: 'RUNNING', startTime: startTime ?? (this.options.clock ?? Date.now)(),
      artifactUri: '', lifecycleStage: 'active',
    };
  }
}
