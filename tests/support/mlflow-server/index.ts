export { MlflowTestServer, type MlflowTestServerOptions, type StatusFaultOptions } from './mlflow-test-server';
export type { RecordedRequest, RequestMatcher, FaultAction } from './faults';
export { ArtifactRoutes, ARTIFACTS_DISABLED_TEXT } from './artifact-routes';
