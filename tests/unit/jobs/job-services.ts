import type { JobServices } from '../../../src/application/jobs/job';
import type { IModelRegistry } from '../../../src/domain/ports/model-registry';
import { MemoryAlerter } from '../../../src/infrastructure/alerting/memory-alerter';
import { MemoryLogger } from '../../../src/infrastructure/logging/memory-logger';
import { ModelLoader } from '../../../src/infrastructure/models';
import { InMemoryModelRegistry, InMemoryTracker } from '../../../src/infrastructure/tracking/memory';

/** Real in-memory adapters for a job, plus the log of registry calls (to prove a job wrote nothing). */
export function memoryServices() {
  const logger = new MemoryLogger();
  const alerter = new MemoryAlerter();
  const tracker = new InMemoryTracker({ experimentName: 'jobs-test' });
  const store = new InMemoryModelRegistry();
  const registryCalls: string[] = [];
  const registry = recordCalls(store, registryCalls);
  const models = new ModelLoader({ tracker, registry, logger });
  const services: JobServices = { logger, alerter, tracker, registry, models };
  return { logger, alerter, tracker, store, registry, registryCalls, models, services };
}

/** Registry methods that change state. */
export const REGISTRY_WRITES = ['createRegisteredModel', 'createModelVersion', 'setAlias', 'deleteAlias'];

/** The same registry, with every method call's name appended to `calls`. */
function recordCalls(registry: IModelRegistry, calls: string[]): IModelRegistry {
  return new Proxy(registry, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => {
        if (!['start', 'stop'].includes(key)) calls.push(key);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** Registers `count` versions of `model` in `registry`, each pointing at a fresh run. */
export async function seedVersions(store: InMemoryModelRegistry, tracker: InMemoryTracker, model: string, count: number): Promise<number[]> {
  await store.createRegisteredModel(model);
  const versions: number[] = [];
  for (let i = 0; i < count; i++) {
    const run = await tracker.createRun({ runName: `seed-${i}` });
    versions.push((await store.createModelVersion({ name: model, source: `${run.artifactUri}/model`, runId: run.runId })).version);
  }
  return versions;
}

/** The rejection of `promise`, failing the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the promise to reject, but it resolved');
}
