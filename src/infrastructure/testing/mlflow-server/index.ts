export { MlflowTestServer, type MlflowTestServerOptions, type StatusFaultOptions } from './mlflow-test-server';
export type { RecordedRequest, RequestMatcher, FaultAction } from './faults';
export { ArtifactRoutes, ARTIFACTS_DISABLED_TEXT } from './artifact-routes';
export { DEFAULT_FLAVOUR, SQL_MAX_DOUBLE, type ServerFlavour } from './server-flavour';
export { startMlflowTestServer, type StartMlflowTestServerOptions } from './start-mlflow-test-server';
