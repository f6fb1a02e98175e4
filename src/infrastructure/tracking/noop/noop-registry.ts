import { RegistryClient } from '../client/registry-client';
import { NoOpRegistryStore } from './noop-registry-store';

/**
 * IModelRegistry that stores nothing: the RegistryClient over a NoOpRegistryStore. Every valid call
 * succeeds; new versions get increasing numbers per model (so a job that reads back `version` sees 1, 2,
 * 3 …), lookups return a well-formed version 1 pointing nowhere, and `getLatestVersion` reports none.
 *
 * @example
 * const registry = new NoOpModelRegistry();
 * const v = await registry.createModelVersion({ name: 'churn', source: 'runs:/abc/model' }); // v.version === 1
 */
export class NoOpModelRegistry extends RegistryClient {
  constructor(options: { clock?: () => number } = {}) {
    super(new NoOpRegistryStore(options.clock), { serviceName: 'registry:noop' });
  }
}
