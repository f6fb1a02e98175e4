import type { DatasetInput, LoggedModel, LoggedModelStatus, ModelOutput } from '../../../domain/model/logged-model';
import type { LoggedModelStore, NewLoggedModel } from '../client/logged-model-store';

/** What the spill layer tells this part: where a run lives, and whether the server was down from the start. */
export interface SpillRouting {
  primary: LoggedModelStore | undefined;
  spill: LoggedModelStore | undefined;
  degraded(): boolean;
  isSpillRun(runId: string): boolean;
  /** A model's files are in the spill store: its artifact URI is routed there. */
  spillUri(artifactUri: string): void;
}

/**
 * The logged-model half of the spill layer, routed by run: a run that lives in the spill store gets its
 * models, inputs and outputs there too (the local store keeps MLflow 3's layout, so `sync` carries them);
 * a server run's go to the server. A model the server cannot take while its run is on the server fails
 * the call with TRACKER_UNAVAILABLE: models are not mirrored (see the README's outage section).
 *
 * @example const models = new SpilledLoggedModels({ primary, spill, degraded: () => down, isSpillRun: (id) => local.has(id), spillUri });
 */
export class SpilledLoggedModels implements LoggedModelStore {
  private readonly spilledModels = new Set<string>();

  constructor(private readonly routing: SpillRouting) {}

  async supported(): Promise<boolean> {
    const store = this.routing.degraded() ? this.routing.spill : this.routing.primary;
    return store !== undefined && store.supported();
  }

  async create(model: NewLoggedModel): Promise<LoggedModel> {
    const spilled = this.routing.degraded() || (model.sourceRunId !== undefined && this.routing.isSpillRun(model.sourceRunId));
    const created = await this.storeFor(spilled).create(model);
    if (spilled) {
      this.spilledModels.add(created.modelId!);
      this.routing.spillUri(created.artifactUri);
    }
    return created;
  }

  finalize(modelId: string, status: Exclude<LoggedModelStatus, 'PENDING'>): Promise<LoggedModel> {
    return this.storeFor(this.spilledModels.has(modelId)).finalize(modelId, status);
  }

  get(modelId: string): Promise<LoggedModel> {
    return this.storeFor(this.spilledModels.has(modelId) || this.routing.degraded()).get(modelId);
  }

  logOutputs(runId: string, outputs: ModelOutput[]): Promise<void> {
    return this.storeFor(this.routing.isSpillRun(runId)).logOutputs(runId, outputs);
  }

  logInputs(runId: string, inputs: DatasetInput[]): Promise<void> {
    return this.storeFor(this.routing.isSpillRun(runId)).logInputs(runId, inputs);
  }

  clear(): void {
    this.spilledModels.clear();
  }

  private storeFor(spilled: boolean): LoggedModelStore {
    const store = spilled ? (this.routing.spill ?? this.routing.primary) : this.routing.primary;
    if (store === undefined) throw new Error('no logged-model store behind the spill layer: check supported() first');
    return store;
  }
}
