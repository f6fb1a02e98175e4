export * from '../../../src/infrastructure/testing/mlflow-server/store';
