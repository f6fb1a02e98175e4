import { createArtifactStore, type ArtifactStore } from '../artifacts';
import { settingsSecrets, type MlflowSettings } from './mlflow-settings';
import type { MlflowRestClient } from './rest-client';

/**
 * One artifact store per run, chosen by the run's `artifact_uri` (server proxy, s3:// or file://) and
 * created on first use. The URI comes from createRun when this tracker made the run, else from runs/get.
 *
 * @example
 * const artifacts = new RunArtifacts(settings, client, (runId) => api.getRun(runId).then((r) => r.info.artifactUri));
 * await (await artifacts.store(runId)).upload('./model', 'model');
 */
export class RunArtifacts {
  private readonly uris = new Map<string, string>();
  private readonly stores = new Map<string, ArtifactStore>();

  constructor(
    private readonly settings: MlflowSettings,
    private readonly client: MlflowRestClient,
    private readonly lookUpUri: (runId: string) => Promise<string>,
  ) {}

  /** Remembers a run's artifact URI (from createRun), saving a runs/get later. */
  remember(runId: string, artifactUri: string): void {
    this.uris.set(runId, artifactUri);
  }

  async store(runId: string): Promise<ArtifactStore> {
    let store = this.stores.get(runId);
    if (!store) {
      const artifactUri = this.uris.get(runId) ?? (await this.lookUpUri(runId));
      // the proxy store shares the REST client's axios instance: same auth, TLS, keep-alive and retries
      store = createArtifactStore(artifactUri, {
        trackingUri: this.settings.trackingUri,
        http: this.client.http,
        s3: this.settings.s3,
        secrets: settingsSecrets(this.settings),
      });
      this.stores.set(runId, store);
    }
    return store;
  }
}
