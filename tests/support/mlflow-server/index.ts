// The loopback MLflow server ships in mlops-kit/testing (src/infrastructure/testing/mlflow-server); the
// test-only helpers (hostile servers, certificates, client settings) stay here.
export * from '../../../src/infrastructure/testing/mlflow-server';
export { HOSTILE_SHAPES, startHostileServer, type HostileServer, type HostileShape } from './hostile-servers';
