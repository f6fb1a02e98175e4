import type { StoreHealth } from '../client/store-health';
import type { Experiment } from '../../../domain/model/experiment';
import { Limits } from '../../../domain/model/naming-rules';
import type { Metric, Page, Run, RunInfo, SearchRunsQuery } from '../../../domain/model/run';
import type { NewRun, StoreTraits, TrackingStore } from '../client/tracking-store';
import type { ArtifactStore } from '../shared/artifact-store';
import { newRunId } from '../shared/run-values';

const RESOLVED = Promise.resolve();

/** Files that go nowhere: uploads succeed, nothing is listed, a download names where the file would be. */
const NO_ARTIFACTS: ArtifactStore = {
  upload: async () => undefined,
  list: async () => [],
  download: async (path, destDir) => `${destDir.replace(/[\\/]+$/, '')}/${path}`,
};

/**
 * A TrackingStore that keeps nothing (`tracking.uri: noop`): every write succeeds, reads answer
 * well-formed empty values (32-hex run ids, an empty RUNNING run for `getRun`, experiment "0").
 *
 * @example const tracker = new TrackingClient(new NoOpTrackingStore(), { killOpenRunsOnStop: false });
 */
export class NoOpTrackingStore implements TrackingStore {
  readonly description = 'no-op (nothing is recorded)';

  constructor(private readonly clock: () => number = Date.now) {}

  async open(): Promise<StoreTraits> {
    return { tagValueLimit: Limits.MAX_TAG_VALUE_LENGTH };
  }

  async health(): Promise<StoreHealth> {
    return { ok: true, backend: 'noop' };
  }

  async close(): Promise<void> {}

  async getExperiment(experimentId: string): Promise<Experiment> {
    return { experimentId, name: experimentId === '0' ? 'Default' : `experiment-${experimentId}`, artifactLocation: '', lifecycleStage: 'active', tags: {} };
  }

  async getExperimentByName(): Promise<Experiment | undefined> {
    return undefined;
  }

  async getOrCreateExperiment(): Promise<string> {
    return '0';
  }

  async createRun(run: NewRun): Promise<RunInfo> {
    return this.info(newRunId(), run.experimentId, run.runName, run.startTime);
  }

  async updateRun(): Promise<void> {}

  async getRun(runId: string): Promise<Run> {
    return { info: this.info(runId, '0', '', this.clock()), data: { metrics: {}, params: {}, tags: {} } };
  }

  async searchRuns(_query: SearchRunsQuery): Promise<Page<Run>> {
    return { items: [] };
  }

  logMetric(): Promise<void> {
    return RESOLVED;
  }

  async logBatch(): Promise<void> {}

  async getMetricHistory(): Promise<Metric[]> {
    return [];
  }

  async flush(): Promise<void> {}

  artifactStore(): ArtifactStore {
    return NO_ARTIFACTS;
  }

  private info(runId: string, experimentId: string, runName: string, startTime: number): RunInfo {
    return { runId, experimentId, runName, status: 'RUNNING', startTime, artifactUri: '', lifecycleStage: 'active' };
  }
}
