import { UsageError } from '../../domain/errors';
import { TYPES } from '../../domain/tokens';
import type { AnyJobDefinition } from '../../application/jobs/job-definition';
import type { MlopsContainer } from '../container/mlops-container';
import { InMemoryModelRegistry } from '../tracking/memory/in-memory-registry';
import { InMemoryTracker } from '../tracking/memory/in-memory-tracker';
import { MemoryAlerter } from '../alerting/memory-alerter';
import { MemoryLogger } from '../logging/memory-logger';

/*
 * Why accessors rather than a container whose TYPES.Tracker is typed InMemoryTracker: a test container's
 * tracker is in-memory only by default. A test may override it (an MlflowTracker pointed at the loopback
 * MLflow server) or configure a local store, and the container's type cannot know. These accessors
 * check at run time what the type promises, and say what is bound when it is not.
 */

function bound<T>(container: MlopsContainer<AnyJobDefinition>, token: symbol, type: abstract new (...args: never[]) => T, port: string): T {
  const adapter: unknown = container.get<unknown>(token);
  if (adapter instanceof type) return adapter;
  const actual = (adapter as { constructor?: { name?: string } } | undefined)?.constructor?.name ?? typeof adapter;
  throw new UsageError(`The container's ${port} is ${article(actual)}, not ${article(type.name)}: it was overridden, or set by the config.`);
}

/**
 * The test container's tracker, typed as the InMemoryTracker it is, so a test reads back what a job
 * logged (`runs()`, `metrics()`) without a cast. UsageError when the container's tracker is another
 * adapter (an override, or `tracking.uri` set).
 *
 * @example
 * const container = createTestContainer();
 * await createRuntime(container).run({ KIND: 'ExampleJob' });
 * expect(testTracker(container).runs()).toHaveLength(1);
 */
export function testTracker(container: MlopsContainer<AnyJobDefinition>): InMemoryTracker {
  return bound(container, TYPES.Tracker, InMemoryTracker, 'tracker');
}

/**
 * The test container's registry, typed as the InMemoryModelRegistry it is (`versions()` …).
 *
 * @example expect(testRegistry(container).versions('churn')).toHaveLength(1);
 */
export function testRegistry(container: MlopsContainer<AnyJobDefinition>): InMemoryModelRegistry {
  return bound(container, TYPES.ModelRegistry, InMemoryModelRegistry, 'registry');
}

/**
 * The test container's alerter, typed as the MemoryAlerter it is (`alerts`).
 *
 * @example expect(testAlerter(container).alerts.at(-1)?.title).toBe('Example Job Finished');
 */
export function testAlerter(container: MlopsContainer<AnyJobDefinition>): MemoryAlerter {
  return bound(container, TYPES.Alerter, MemoryAlerter, 'alerter');
}

/**
 * The test container's logger, typed as the MemoryLogger it is (`messages()`, `entries`).
 *
 * @example expect(testLogger(container).messages('error')).toEqual([]);
 */
export function testLogger(container: MlopsContainer<AnyJobDefinition>): MemoryLogger {
  return bound(container, TYPES.Logger, MemoryLogger, 'logger');
}

function article(name: string): string {
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
}
