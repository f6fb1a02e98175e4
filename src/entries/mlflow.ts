/**
 * `mlops-kit/mlflow`: the MLflow REST adapters (tracker, model registry) and the client and settings
 * they share. Loads axios; the container requires this only for `http(s)://` tracking URIs.
 *
 * @example
 * import { resolveMlflowSettings, MlflowRestClient } from 'mlops-kit/mlflow';
 * const settings = resolveMlflowSettings({ uri: 'http://mlflow:5000' }, process.env);
 *
 * @packageDocumentation
 */
export type { RunDefaults } from '../infrastructure/tracking/client/tracking-client-options';
export { MlflowTracker, type MlflowTrackerDeps } from '../infrastructure/tracking/mlflow/mlflow-tracker';
export { MlflowModelRegistry, type MlflowRegistryDeps } from '../infrastructure/tracking/mlflow/mlflow-registry';
export { resolveMlflowSettings, MLFLOW_DEFAULTS, type MlflowSettings, type MlflowAuth, type MlflowTlsSettings, type S3Settings, type EnvLike, type TrackingConfig as MlflowTrackingConfig, type TrackingS3Config } from '../infrastructure/tracking/mlflow/mlflow-settings';
export type { S3Settings as S3StoreSettings } from '../infrastructure/tracking/artifacts/s3-settings';
export type { LogBatcherOptions } from '../infrastructure/tracking/mlflow/log-batcher';
export type { LogBatch } from '../infrastructure/tracking/shared/log-batch';
export type { QueryValue } from '../infrastructure/tracking/mlflow/wire-json';
export { MlflowRestClient, type HttpMethod, type RequestOptions, type RestClientOptions, type RetryEvent } from '../infrastructure/tracking/mlflow/rest-client';
export type { ServerHealth, HealthState } from '../infrastructure/tracking/mlflow/server-health';
