export * from '../../../src/infrastructure/testing/mlflow-server/artifact-routes';
