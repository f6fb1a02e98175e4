import type { ArtifactStore } from '../shared/artifact-store';
import type { TrackingStore } from './tracking-store';

/** Runs whose artifact store is kept; a long-lived service making many runs does not grow without end. */
const MAX_CACHED_RUNS = 1000;

/**
 * The artifact store of each run, chosen by the store from the run's `artifact_uri` and kept per run id.
 * The URI comes from createRun when this client made the run (remembered), else from `getRun`.
 *
 * @example
 * const artifacts = new RunArtifacts(store);
 * artifacts.remember(info.runId, info.artifactUri);
 * await (await artifacts.of(info.runId)).upload('./model', 'model');
 */
export class RunArtifacts {
  private readonly uris = new Map<string, string>();
  private readonly stores = new Map<string, ArtifactStore>();

  constructor(private readonly store: TrackingStore) {}

  /** Remembers a run's artifact URI (from createRun), saving a getRun later. */
  remember(runId: string, artifactUri: string): void {
    bounded(this.uris).set(runId, artifactUri);
  }

  async of(runId: string): Promise<ArtifactStore> {
    let artifacts = this.stores.get(runId);
    if (!artifacts) {
      const artifactUri = this.uris.get(runId) ?? (await this.store.getRun(runId)).info.artifactUri;
      artifacts = this.store.artifactStore(artifactUri);
      bounded(this.stores).set(runId, artifacts);
    }
    return artifacts;
  }

  /** Forgets every store (after the TrackingStore closed: a reopened one may choose differently). */
  clear(): void {
    this.uris.clear();
    this.stores.clear();
  }
}

/** Drops the oldest entry once the map is full (Map keeps insertion order). */
function bounded<V>(map: Map<string, V>): Map<string, V> {
  if (map.size >= MAX_CACHED_RUNS) map.delete(map.keys().next().value!);
  return map;
}
