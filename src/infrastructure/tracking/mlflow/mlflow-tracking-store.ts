import { mlflowServerHealth } from './mlflow-health';
import type { StoreHealth } from '../client/store-health';
import type { Experiment } from '../../../domain/model/experiment';
import { MlflowLoggedModelStore } from './mlflow-logged-model-store';
import { Limits } from '../../../domain/model/naming-rules';
import type { Metric, Page, Run, RunInfo, RunStatus, SearchRunsQuery } from '../../../domain/model/run';
import { createArtifactStore } from '../artifacts';
import type { NewRun, StoreTraits, TrackingStore } from '../client/tracking-store';
import type { ArtifactStore } from '../shared/artifact-store';
import type { LogBatch } from '../shared/log-batch';
import { settingsSecrets, type MlflowSettings } from './mlflow-settings';
import type { MlflowRestClient } from './rest-client';
import { TrackingApi } from './tracking-api';

/** MLflow 2.x servers cut run tag values at 5000 characters (3.x: 8000, Limits.MAX_TAG_VALUE_LENGTH). */
export const TAG_LIMIT_MLFLOW_2 = 5000;

/**
 * A TrackingStore over MLflow's REST API. `open()` is the first contact: a short probe (a dead or foreign
 * server is decided in seconds) and the server's generation, which sets the tag limit (5000 on 2.x, 8000
 * on 3.x). Writes go straight to the server: `logBatch` sends one `runs/log-batch` as given, so it sits
 * under the batching layer, which cuts batches within MLflow's limits.
 *
 * @example const store = new BatchingStore(new MlflowTrackingStore(settings, new MlflowRestClient(settings)));
 */
export class MlflowTrackingStore implements TrackingStore {
  readonly description: string;
  private readonly api: TrackingApi;
  /** Logged models (MLflow 3; a 2.x server says no once), and dataset inputs on both. */
  readonly loggedModels: MlflowLoggedModelStore;

  constructor(
    private readonly settings: MlflowSettings,
    private readonly client: MlflowRestClient,
  ) {
    this.description = `MLflow at ${settings.trackingUri}`;
    this.api = new TrackingApi(client);
    this.loggedModels = new MlflowLoggedModelStore(client);
  }

  async open(): Promise<StoreTraits> {
    await this.client.probe();
    const generation = await this.client.serverGeneration();
    return { tagValueLimit: generation === 2 ? TAG_LIMIT_MLFLOW_2 : Limits.MAX_TAG_VALUE_LENGTH };
  }

  health(): Promise<StoreHealth> {
    return mlflowServerHealth(this.client, this.description);
  }

  async close(): Promise<void> {
    this.client.close();
  }

  getExperiment(experimentId: string): Promise<Experiment> {
    return this.api.getExperiment(experimentId);
  }

  getExperimentByName(name: string): Promise<Experiment | undefined> {
    return this.api.getExperimentByName(name);
  }

  getOrCreateExperiment(name: string, tags?: Record<string, string>): Promise<string> {
    return this.api.getOrCreateExperiment(name, tags);
  }

  createRun(run: NewRun): Promise<RunInfo> {
    return this.api.createRun({ experimentId: run.experimentId, runName: run.runName, startTime: run.startTime, tags: run.tags });
  }

  async updateRun(runId: string, patch: { status?: RunStatus; endTime?: number; runName?: string }): Promise<void> {
    await this.api.updateRun(runId, patch);
  }

  getRun(runId: string): Promise<Run> {
    return this.api.getRun(runId);
  }

  searchRuns(query: SearchRunsQuery): Promise<Page<Run>> {
    return this.api.searchRuns(query);
  }

  logMetric(runId: string, metric: Metric): Promise<void> {
    return this.api.logBatch(runId, { metrics: [metric], params: [], tags: [] });
  }

  logBatch(runId: string, batch: LogBatch): Promise<void> {
    return this.api.logBatch(runId, batch);
  }

  getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    return this.api.getMetricHistory(runId, key);
  }

  /** Each write was sent before its call resolved; the batching layer above is what buffers. */
  async flush(): Promise<void> {}

  /** Chosen by the run's `artifact_uri`: the server's proxy, s3:// or file://. */
  artifactStore(artifactUri: string): ArtifactStore {
    // the proxy store shares the REST client's axios instance: same auth, TLS, keep-alive, retries and breaker
    return createArtifactStore(artifactUri, {
      trackingUri: this.settings.trackingUri,
      http: this.client.http,
      s3: this.settings.s3,
      secrets: settingsSecrets(this.settings),
    });
  }
}
