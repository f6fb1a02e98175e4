import type { ILogger } from '../../../domain/ports/logger';
import { RegistryClient } from '../client/registry-client';
import type { MlflowSettings } from './mlflow-settings';
import { MlflowRegistryStore } from './mlflow-registry-store';
import { MlflowRestClient, type RestClientOptions } from './rest-client';

export interface MlflowRegistryDeps {
  logger?: ILogger;
  rest?: Omit<RestClientOptions, 'baseUri' | 'logger'>;
}

/**
 * IModelRegistry over MLflow's model-registry REST API (MLFLOW_REGISTRY_URI, default the tracking URI):
 * the RegistryClient over an MlflowRegistryStore. Names and aliases are checked before any call; `start()`
 * checks that the server answers like MLflow, so a wrong URI fails at start, not mid-job.
 *
 * @example
 * const registry = new MlflowModelRegistry(settings, { logger });
 * await registry.createRegisteredModel('churn');
 * const v = await registry.createModelVersion({ name: 'churn', source: `runs:/${runId}/model`, runId });
 * await registry.setAlias('churn', 'Champion', v.version);
 */
export class MlflowModelRegistry extends RegistryClient {
  /** The REST client (auth, TLS, retries, the server's breaker), for calls the port has no method for. */
  readonly client: MlflowRestClient;

  constructor(settings: MlflowSettings, deps: MlflowRegistryDeps = {}) {
    const client = new MlflowRestClient(settings, { ...deps.rest, baseUri: settings.registryUri, logger: deps.logger });
    super(new MlflowRegistryStore(settings, client), { logger: deps.logger, serviceName: 'registry:mlflow' });
    this.client = client;
  }
}
