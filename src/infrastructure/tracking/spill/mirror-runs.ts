import { MlflowTags } from '../../../domain/model/run';
import { currentUser } from '../client/client-rules';
import type { TrackingStore } from '../client/tracking-store';
import { randomRunName } from '../shared/run-values';
import { SPILL_REMOTE_RUN_TAG, type SpillLedger } from './spill-ledger';

/**
 * The spill-store runs that hold what server runs could not take: one per server run, created on first
 * need (tagged `mlops-kit.spill.remote_run_id`, named like the server run), in the job's experiment.
 *
 * @example const mirror = await mirrors.of(serverRunId); await spill.logBatch(mirror, batch);
 */
export class MirrorRuns {
  private readonly mirrors = new Map<string, Promise<string>>();
  private readonly runNames = new Map<string, string>();

  constructor(
    private readonly spill: TrackingStore,
    private readonly ledger: SpillLedger,
    private readonly experimentName: string,
    private readonly openSpill: () => Promise<unknown>,
  ) {}

  /** A server run this layer saw created: its name is the mirror's. */
  serverRun(runId: string, runName: string): void {
    this.runNames.set(runId, runName);
  }

  knows(runId: string): boolean {
    return this.runNames.has(runId);
  }

  /** The mirror if one was made, else undefined. */
  existing(remoteRunId: string): Promise<string> | undefined {
    return this.mirrors.get(remoteRunId);
  }

  of(remoteRunId: string): Promise<string> {
    let mirror = this.mirrors.get(remoteRunId);
    if (!mirror) {
      mirror = this.create(remoteRunId);
      mirror.catch(() => this.mirrors.delete(remoteRunId));
      this.mirrors.set(remoteRunId, mirror);
    }
    return mirror;
  }

  /** Resolves when every mirror being made exists (or failed). */
  async settled(): Promise<void> {
    await Promise.allSettled(this.mirrors.values());
  }

  clear(): void {
    this.mirrors.clear();
    this.runNames.clear();
  }

  private async create(remoteRunId: string): Promise<string> {
    await this.openSpill();
    const runName = this.runNames.get(remoteRunId) ?? randomRunName();
    const userId = currentUser();
    const tags = { [SPILL_REMOTE_RUN_TAG]: remoteRunId, [MlflowTags.RUN_NAME]: runName, [MlflowTags.USER]: userId };
    const experimentId = await this.spill.getOrCreateExperiment(this.experimentName);
    const info = await this.spill.createRun({ experimentId, runName, startTime: Date.now(), userId, tags });
    this.ledger.runs.add(info.runId);
    return info.runId;
  }
}
