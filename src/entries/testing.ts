/**
 * `mlops-kit/testing`: a test container and in-memory adapters that record what a job did, typed
 * getters for them (`testTracker(container)`), and a loopback MLflow server (`startMlflowTestServer`) to
 * integration-test an app's real MLflow path without Python.
 *
 * @example
 * import { createTestContainer, InMemoryTracker } from 'mlops-kit/testing';
 * import { createRuntime, TYPES } from 'mlops-kit';
 * const tracker = new InMemoryTracker();
 * const runtime = createRuntime(createTestContainer({ overrides: { [TYPES.Tracker]: tracker } }));
 * await runtime.start();
 * await runtime.run({ KIND: 'ExampleJob' });
 * await runtime.close();
 *
 * @packageDocumentation
 */
import 'reflect-metadata';

export type { RunDefaults } from '../infrastructure/tracking/client/tracking-client-options';
export { createTestContainer } from '../infrastructure/container/create-container';
export { testTracker, testRegistry, testAlerter, testLogger } from '../infrastructure/testing/test-adapters';
export { InMemoryTracker, type InMemoryTrackerOptions } from '../infrastructure/tracking/memory/in-memory-tracker';
export { InMemoryModelRegistry, type InMemoryModelRegistryOptions } from '../infrastructure/tracking/memory/in-memory-registry';
export { NoOpTracker } from '../infrastructure/tracking/noop/noop-tracker';
export { NoOpModelRegistry } from '../infrastructure/tracking/noop/noop-registry';
export { MemoryLogger, type MemoryLoggerOptions, type MemoryLogEntry } from '../infrastructure/logging/memory-logger';
export { MemoryAlerter, type RecordedAlert } from '../infrastructure/alerting/memory-alerter';
export {
  startMlflowTestServer,
  MlflowTestServer,
  type StartMlflowTestServerOptions,
  type MlflowTestServerOptions,
  type StatusFaultOptions,
  type RecordedRequest,
  type RequestMatcher,
  type ServerFlavour,
} from '../infrastructure/testing/mlflow-server';
export type {
  FakeStore,
  ArtifactRootSetting,
  ExperimentRecord,
  RunRecord,
  MetricRecord,
  ModelRecord,
  VersionRecord,
  LoggedModelRecord,
  DatasetInputRecord,
} from '../infrastructure/testing/mlflow-server/store';
