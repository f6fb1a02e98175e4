/** MLflow REST adapters: tracker, model registry, and the pieces apps may reuse (settings, client, errors). */
export { MlflowTracker, type MlflowTrackerDeps } from './mlflow-tracker';
export { MlflowTrackingStore, TAG_LIMIT_MLFLOW_2 } from './mlflow-tracking-store';
export { MlflowRegistryStore } from './mlflow-registry-store';
export { LogBatcher, type LogBatcherOptions } from './log-batcher';
export type { LogBatch } from '../shared/log-batch';
export { ServerHealth, serverHealthFor, type HealthState, type ServerHealthOptions } from './server-health';
export { MlflowModelRegistry, type MlflowRegistryDeps } from './mlflow-registry';
export {
  resolveMlflowSettings,
  settingsSecrets,
  MLFLOW_DEFAULTS,
  type MlflowSettings,
  type MlflowAuth,
  type MlflowTlsSettings,
  type S3Settings,
  type TrackingConfig,
  type TrackingS3Config,
} from './mlflow-settings';
export { MlflowRestClient, API_PREFIX, type HttpMethod, type RequestOptions, type RestClientOptions, type RetryEvent } from './rest-client';
export { mapHttpError, readErrorBody, HttpFailure, type RequestContext } from '../shared/error-mapping';
export { isRetryableError, retryDelayMs, retryAfterMs, RETRYABLE_STATUSES } from '../shared/retry-policy';
export { buildTlsAgentOptions } from './http-agents';
export { redactText } from '../shared/redact';
