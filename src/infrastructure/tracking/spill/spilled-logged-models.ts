import { TrackerUnavailableError } from '../../../domain/errors';
import type { DatasetInput, LoggedModel, LoggedModelStatus, ModelOutput } from '../../../domain/model/logged-model';
import type { LoggedModelStore, NewLoggedModel } from '../client/logged-model-store';

/** What the spill layer tells this part: where a run lives, its mirror, and whether the server was down from the start. */
export interface SpillRouting {
  primary: LoggedModelStore | undefined;
  spill: LoggedModelStore | undefined;
  degraded(): boolean;
  isSpillRun(runId: string): boolean;
  /** The spill-store mirror of a server run (made on first use), with its experiment there. */
  mirror(serverRunId: string): Promise<{ runId: string; experimentId: string }>;
  /** The server could not take a write (counted once per outage). */
  note(error: TrackerUnavailableError): void;
  /** A logged model was created in the spill store (the registry layer registers its versions there). */
  spilledModel(modelId: string): void;
  /** A model's files are in the spill store: its artifact URI is routed there. */
  spillUri(artifactUri: string): void;
}

const unavailable = (error: unknown): error is TrackerUnavailableError => error instanceof TrackerUnavailableError;

/**
 * The logged-model half of the spill layer, with the layer's one policy. A run that lives in the spill
 * store gets its models, inputs and outputs there; a server run's go to the server, and when the server
 * cannot take them (TrackerUnavailableError) they go to the run's mirror in the spill store, as its values
 * do. The local store keeps MLflow 3's layout, so `mlops-kit sync` carries all of it to the server run.
 *
 * @example const models = new SpilledLoggedModels({ primary, spill, degraded: () => down, isSpillRun, mirror, note, spillUri });
 */
export class SpilledLoggedModels implements LoggedModelStore {
  private readonly spilledModels = new Set<string>();

  constructor(private readonly routing: SpillRouting) {}

  async supported(): Promise<boolean> {
    const { primary, spill } = this.routing;
    if (this.routing.degraded() || primary === undefined) return spill !== undefined && spill.supported();
    try {
      return await primary.supported();
    } catch (error) {
      // a server that cannot say now: the spill store (MLflow 3 layout) takes the model
      if (!unavailable(error) || spill === undefined) throw error;
      this.routing.note(error);
      return spill.supported();
    }
  }

  async create(model: NewLoggedModel): Promise<LoggedModel> {
    const runId = model.sourceRunId;
    const local = this.routing.degraded() || (runId !== undefined && this.routing.isSpillRun(runId));
    if (!local) {
      try {
        return await this.server().create(model);
      } catch (error) {
        if (!unavailable(error) || runId === undefined || this.routing.spill === undefined) throw error;
        this.routing.note(error);
        const mirror = await this.routing.mirror(runId);
        return this.spillCreate({ ...model, sourceRunId: mirror.runId, experimentId: mirror.experimentId });
      }
    }
    return this.spillCreate(model);
  }

  finalize(modelId: string, status: Exclude<LoggedModelStatus, 'PENDING'>): Promise<LoggedModel> {
    return this.storeFor(this.spilledModels.has(modelId)).finalize(modelId, status);
  }

  get(modelId: string): Promise<LoggedModel> {
    return this.storeFor(this.spilledModels.has(modelId) || this.routing.degraded()).get(modelId);
  }

  async logOutputs(runId: string, outputs: ModelOutput[]): Promise<void> {
    // a model that lives in the spill store is an output of the run's mirror there, whatever the server says
    if (!this.routing.isSpillRun(runId) && outputs.some((o) => this.spilledModels.has(o.modelId))) {
      return this.storeFor(true).logOutputs((await this.routing.mirror(runId)).runId, outputs);
    }
    return this.byRun(runId, (store, id) => store.logOutputs(id, outputs));
  }

  logInputs(runId: string, inputs: DatasetInput[]): Promise<void> {
    return this.byRun(runId, (store, id) => store.logInputs(id, inputs));
  }

  /** The 2.x record of a model saved as run artifacts; a store without it (the spill store) has logged models instead. */
  recordRunModel(runId: string, modelJson: string): Promise<void> {
    return this.byRun(runId, async (store, id) => store.recordRunModel?.(id, modelJson));
  }

  clear(): void {
    this.spilledModels.clear();
  }

  /** A run's write: the spill store for a spill run, else the server, falling back to the run's mirror. */
  private async byRun(runId: string, write: (store: LoggedModelStore, runId: string) => Promise<void>): Promise<void> {
    if (this.routing.isSpillRun(runId)) return write(this.storeFor(true), runId);
    try {
      await write(this.server(), runId);
    } catch (error) {
      if (!unavailable(error) || this.routing.spill === undefined) throw error;
      this.routing.note(error);
      await write(this.routing.spill, (await this.routing.mirror(runId)).runId);
    }
  }

  private async spillCreate(model: NewLoggedModel): Promise<LoggedModel> {
    const created = await this.storeFor(true).create(model);
    this.spilledModels.add(created.modelId!);
    this.routing.spilledModel(created.modelId!);
    this.routing.spillUri(created.artifactUri);
    return created;
  }

  private server(): LoggedModelStore {
    return this.storeFor(false);
  }

  private storeFor(spilled: boolean): LoggedModelStore {
    const store = spilled ? (this.routing.spill ?? this.routing.primary) : this.routing.primary;
    if (store === undefined) throw new Error('no logged-model store behind the spill layer: check supported() first');
    return store;
  }
}
