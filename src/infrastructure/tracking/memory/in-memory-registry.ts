import type { ModelVersion, RegisteredModel } from '../../../domain/model/model-version';
import type { ILogger } from '../../../domain/ports/logger';
import { RegistryClient } from '../client/registry-client';
import { MemoryRegistryStore } from './memory-registry-store';

export interface InMemoryModelRegistryOptions {
  logger?: ILogger;
  /** Milliseconds since epoch; pin it in tests. */
  clock?: () => number;
}

/**
 * IModelRegistry kept in process memory: the RegistryClient over a MemoryRegistryStore, so it checks
 * names and aliases like every registry (idempotent model creation, version numbers max+1, aliases that
 * move when set again), plus query helpers for tests.
 *
 * @example
 * const registry = new InMemoryModelRegistry();
 * await registry.createRegisteredModel('churn');
 * const v = await registry.createModelVersion({ name: 'churn', source: `runs:/${runId}/model`, runId });
 * await registry.setAlias('churn', 'Champion', v.version);
 * expect(registry.aliases('churn')).toEqual({ Champion: 1 });
 */
export class InMemoryModelRegistry extends RegistryClient {
  private readonly memory: MemoryRegistryStore;

  constructor(options: InMemoryModelRegistryOptions = {}) {
    const store = new MemoryRegistryStore(options.clock);
    super(store, { logger: options.logger, serviceName: 'registry:memory' });
    this.memory = store;
  }

  // ---- query helpers for tests -------------------------------------------------------------

  /** Every registered model with its aliases. */
  registeredModels(): RegisteredModel[] {
    return this.memory.registeredModels();
  }

  /** Versions of a model, ascending; [] for an unknown model. */
  versions(name: string): ModelVersion[] {
    return this.memory.versions(name);
  }

  /** alias → version of a model; {} for an unknown model. */
  aliases(name: string): Record<string, number> {
    return this.memory.aliases(name);
  }
}
