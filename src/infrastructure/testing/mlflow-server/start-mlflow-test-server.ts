import { MlflowTestServer, type MlflowTestServerOptions } from './mlflow-test-server';

/**
 * Options of {@link startMlflowTestServer}: the MLflow generation to answer like, plus the server's own
 * options (credentials to require, HTTPS, an artifact root).
 *
 * @example const options: StartMlflowTestServerOptions = { version: 2, auth: { basic: { username: 'ada', password: 'pw' } } };
 */
export interface StartMlflowTestServerOptions extends Omit<MlflowTestServerOptions, 'flavour'> {
  /** Which MLflow it answers like: 3 (default) or 2. */
  version?: 2 | 3;
  /** Emulate a SQL-backed store (infinities come back clamped). Default false: a file store. */
  sqlStore?: boolean;
}

/**
 * Starts a loopback server (127.0.0.1, a free port) that speaks MLflow's REST API the way an MLflow 3.x
 * server does (or 2.x with `version: 2`): experiments, runs, metrics, params, tags, the model registry,
 * logged models and the artifact proxy, kept in memory. It lets an app integration-test its real
 * MLflow path (`MlflowTracker`, `tracking.uri: http://…`, spill and recovery) without Python. It records
 * every request (`requests`, `requestsTo(route)`), reads back what was logged (`store`), and injects
 * faults (`failNext`, `failFor`, `dropNext`, `slowNext`) to test outages. Stop it in `afterAll`.
 *
 * @example
 * import { createContainer, createRuntime } from 'mlops-kit';
 * import { startMlflowTestServer } from 'mlops-kit/testing';
 * const server = await startMlflowTestServer({ version: 3 });
 * const runtime = createRuntime(createContainer({ config: { tracking: { uri: server.uri } } }));
 * await runtime.start({ services: ['tracker', 'registry'] });
 * const { runId } = await runtime.run({ KIND: 'TrainingJob', model: 'churn', epochs: 3 });
 * await runtime.close();
 * expect(server.store.runs.get(runId)?.status).toBe('FINISHED');
 * await server.stop();
 */
export function startMlflowTestServer(options: StartMlflowTestServerOptions = {}): Promise<MlflowTestServer> {
  const { version = 3, sqlStore = false, ...rest } = options;
  return MlflowTestServer.start({ ...rest, flavour: { version, sqlStore } });
}
