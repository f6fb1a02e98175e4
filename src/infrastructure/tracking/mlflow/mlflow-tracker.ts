import type { ILogger } from '../../../domain/ports/logger';
import type { RunDefaults } from '../client/tracking-client-options';
import { TrackingClient } from '../client/tracking-client';
import { BatchingStore } from '../layers';
import { LogBatcher, type LogBatcherOptions } from './log-batcher';
import type { MlflowSettings } from './mlflow-settings';
import { MlflowTrackingStore } from './mlflow-tracking-store';
import { MlflowRestClient, type RestClientOptions } from './rest-client';

export { TAG_LIMIT_MLFLOW_2 } from './mlflow-tracking-store';

export interface MlflowTrackerDeps extends RunDefaults {
  logger?: ILogger;
  /** Options of the REST client the tracker creates (retry observer, jitter source). */
  rest?: Omit<RestClientOptions, 'baseUri' | 'logger'>;
  /** Passed to the LogBatcher. */
  batcher?: Pick<LogBatcherOptions, 'flushIntervalMs' | 'maxQueuedEntries' | 'overflowJournalDir'>;
  /** Milliseconds since epoch; tests pin it. */
  clock?: () => number;
  /**
   * Whether `stop()` marks runs this tracker opened and nobody ended as KILLED (default true). `sync`
   * turns it off: a run still RUNNING in the store it replays must stay RUNNING on the server.
   */
  killOpenRunsOnStop?: boolean;
}

/**
 * ITracker over MLflow's REST API: the TrackingClient over a BatchingStore over an MlflowTrackingStore.
 * `start()` checks the server (a dead or foreign one fails in seconds), learns its tag limit and resolves
 * the default experiment (created if missing, safe against a concurrent creator). Metrics, params and tags
 * are validated at the call and sent in the background as `runs/log-batch`; reads flush first, so a caller
 * sees what it logged. `stop()` flushes, then marks runs this tracker opened and never ended as KILLED.
 *
 * @example
 * const tracker = new MlflowTracker(resolveMlflowSettings(config.tracking, process.env), { logger });
 * await tracker.start();
 * const run = await tracker.createRun({ runName: 'baseline', tags: { team: 'risk' } });
 * await tracker.logMetric(run.runId, 'rmse', 0.42, { step: 1 });
 * await tracker.endRun(run.runId);
 * await tracker.stop();
 */
export class MlflowTracker extends TrackingClient {
  /** The REST client (auth, TLS, retries, the server's breaker), for calls the port has no method for. */
  readonly client: MlflowRestClient;

  constructor(settings: MlflowSettings, deps: MlflowTrackerDeps = {}) {
    const client = new MlflowRestClient(settings, { ...deps.rest, logger: deps.logger });
    const store = new BatchingStore(new MlflowTrackingStore(settings, client), (send) => new LogBatcher({ ...deps.batcher, logger: deps.logger, send }));
    super(store, {
      experimentName: settings.experimentName,
      logger: deps.logger,
      clock: deps.clock,
      killOpenRunsOnStop: deps.killOpenRunsOnStop,
      sourceTags: deps.sourceTags,
      systemMetrics: deps.systemMetrics,
      serviceName: 'tracker:mlflow',
    });
    this.client = client;
  }
}
