export * from '../../../src/infrastructure/testing/mlflow-server/mlflow-test-server';
