import type { ILogger } from '../../../domain/ports/logger';
import { RegistryClient } from '../client/registry-client';
import { DEFAULT_ROOT, type StoreLayout } from './local-layout';
import { LocalRegistryStore } from './local-registry-store';

export interface LocalModelRegistryOptions {
  /** Store directory, or a `file:` URI; the registry lives in `<root>/models`. Default `./mlruns`. */
  root?: string;
  logger?: ILogger;
  /** Milliseconds since epoch; pin it in tests. */
  clock?: () => number;
}

/**
 * IModelRegistry over MLflow's file store (`<root>/models/<name>/…`, the layout MLflow 2.x's registry
 * FileStore reads): the RegistryClient over a LocalRegistryStore. Two processes registering at once
 * never get the same version number.
 *
 * @example
 * const registry = new LocalModelRegistry({ root: './mlruns' });
 * await registry.start();
 * await registry.createRegisteredModel('churn');
 * const v = await registry.createModelVersion({ name: 'churn', source: `runs:/${runId}/model`, runId });
 * await registry.setAlias('churn', 'Champion', v.version);   // writes models/churn/aliases/Champion = "1"
 */
export class LocalModelRegistry extends RegistryClient {
  /** Where the store lives on disk. */
  readonly layout: StoreLayout;

  constructor(options: LocalModelRegistryOptions = {}) {
    const store = new LocalRegistryStore(options.root ?? DEFAULT_ROOT, options.clock);
    super(store, { logger: options.logger, serviceName: 'registry:local' });
    this.layout = store.layout;
  }
}
