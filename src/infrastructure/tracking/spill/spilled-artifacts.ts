import { TrackerUnavailableError } from '../../../domain/errors';
import type { RunInfo } from '../../../domain/model/run';
import type { TrackingStore } from '../client/tracking-store';
import type { ArtifactStore } from '../shared/artifact-store';
import type { SpillLedger } from './spill-ledger';

/**
 * The artifact half of the spill layer. A store only sees an artifact URI, so this remembers which URI
 * belongs to which run as runs pass through (created or read): a spill-store run's files stay local; an
 * upload for a server run that the server cannot take goes under the run's mirror in the spill store,
 * counted in the ledger. Listing and downloading go where the files are.
 *
 * @example const artifacts = new SpilledArtifacts(primary, spill, ledger, (runId) => mirrorOf(runId)); artifacts.at(info.artifactUri).upload('./model');
 */
export class SpilledArtifacts {
  private readonly spillUris = new Set<string>();
  private readonly serverRuns = new Map<string, string>();

  constructor(
    private readonly primary: TrackingStore,
    private readonly spill: TrackingStore,
    private readonly ledger: SpillLedger,
    private readonly mirrorOf: (remoteRunId: string) => Promise<string>,
  ) {}

  serverRun(info: RunInfo): void {
    this.serverRuns.set(info.artifactUri, info.runId);
  }

  spillRun(info: RunInfo): void {
    this.spillUris.add(info.artifactUri);
  }

  /** Files that live in the spill store, such as a spilled run's logged model. */
  spillUri(artifactUri: string): void {
    this.spillUris.add(artifactUri);
  }

  clear(): void {
    this.spillUris.clear();
    this.serverRuns.clear();
  }

  at(artifactUri: string): ArtifactStore {
    if (this.isSpilled(artifactUri)) {
      const local = this.spill.artifactStore(artifactUri);
      return {
        ...bind(local),
        upload: async (localPath, artifactPath) => {
          this.ledger.artifacts++;
          await local.upload(localPath, artifactPath);
        },
      };
    }
    const remote = this.primary.artifactStore(artifactUri);
    const remoteRunId = this.serverRuns.get(artifactUri);
    return {
      ...bind(remote),
      upload: async (localPath, artifactPath) => {
        try {
          await remote.upload(localPath, artifactPath);
        } catch (error) {
          if (!(error instanceof TrackerUnavailableError) || remoteRunId === undefined) throw error;
          this.ledger.note(error);
          const mirror = (await this.spill.getRun(await this.mirrorOf(remoteRunId))).info;
          await this.spill.artifactStore(mirror.artifactUri).upload(localPath, artifactPath);
          this.ledger.artifacts++;
        }
      },
    };
  }

  /** A spill URI or a path below one (a model saved as a spilled run's artifacts). */
  private isSpilled(artifactUri: string): boolean {
    if (this.spillUris.has(artifactUri)) return true;
    for (const uri of this.spillUris) if (artifactUri.startsWith(`${uri}/`)) return true;
    return false;
  }
}

function bind(store: ArtifactStore): ArtifactStore {
  return { upload: (l, a) => store.upload(l, a), list: (p) => store.list(p), download: (p, d) => store.download(p, d) };
}
