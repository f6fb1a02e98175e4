import { ErrorCodes, NotFoundError } from '../../../domain/errors';
import type { DatasetInput, LogModelRequest, LoggedModel } from '../../../domain/model/logged-model';
import type { Run } from '../../../domain/model/run';
import type { DownloadModelOptions, ParamValue } from '../../../domain/ports/tracker';
import { checkRunId } from './client-rules';
import type { LoggedModelStore } from './logged-model-store';
import type * as ModelDownload from './model-download';
import type * as ModelLogging from './model-logging';
import type { TrackingStore } from './tracking-store';

/* eslint-disable @typescript-eslint/no-require-imports -- required on first use, as container/lazy-adapters.ts does:
 * the MLmodel writer and reader bring yaml and zod, which a tracker that never logs a model need not load */
const modelLogging = async (): Promise<typeof ModelLogging> => require('./model-logging') as typeof ModelLogging;
const modelDownload = async (): Promise<typeof ModelDownload> => require('./model-download') as typeof ModelDownload;
/* eslint-enable @typescript-eslint/no-require-imports */

/** What the model operations use of their TrackingClient: its store, clock, value rules, and opening and reading runs. */
export interface ModelOperationsHost {
  store: TrackingStore;
  clock: () => number;
  param(key: string, value: ParamValue): string;
  tag(key: string, value: string): string;
  open(): Promise<void>;
  getRun(runId: string): Promise<Run>;
}

/**
 * The TrackingClient's model and lineage operations (logModel, getLoggedModel, downloadModel, logInputs),
 * in a file of their own so the client stays one screen of rules. They use the client's rules, so a
 * model's params and tags are checked and cut like a run's.
 *
 * @example const models = new ModelOperations({ store, clock: Date.now, param, tag, open, getRun }); await models.logInputs(runId, inputs);
 */
export class ModelOperations {
  constructor(private readonly host: ModelOperationsHost) {}

  async logModel(runId: string, request: LogModelRequest): Promise<LoggedModel> {
    const { store, clock } = this.host;
    const run = (await this.host.getRun(checkRunId(runId))).info;
    const rules = { param: (key: string, value: ParamValue) => this.host.param(key, value), tag: (key: string, value: string) => this.host.tag(key, value) };
    return (await modelLogging()).logModel({ store, run, clock, ...rules }, request);
  }

  async getLoggedModel(modelId: string): Promise<LoggedModel> {
    return (await this.models(modelId)).get(modelId);
  }

  async downloadModel(modelUri: string, destDir: string, options: DownloadModelOptions = {}): Promise<string> {
    await this.host.open();
    const { modelLocation, downloadModelFiles } = await modelDownload();
    const location = await modelLocation(this.host.store, (runId) => this.host.getRun(runId), modelUri);
    return downloadModelFiles(this.host.store, modelUri, location, destDir, options);
  }

  async logInputs(runId: string, inputs: DatasetInput[]): Promise<void> {
    checkRunId(runId);
    (await modelLogging()).checkDatasetInputs(inputs);
    await this.host.open();
    // a store that keeps no inputs (no-op) accepts them like any value it does not keep
    await this.host.store.loggedModels?.logInputs(runId, inputs);
  }

  /** The store's logged models; MODEL_NOT_FOUND naming `modelId` where it keeps none (no-op, MLflow 2.x). */
  private async models(modelId: string): Promise<LoggedModelStore> {
    await this.host.open();
    const { store } = this.host;
    const models = store.loggedModels;
    if (models !== undefined && (await models.supported())) return models;
    throw new NotFoundError(`Logged model ${JSON.stringify(modelId)} not found: ${store.description} keeps no logged models.`, ErrorCodes.MODEL_NOT_FOUND, {
      details: { modelId },
    });
  }
}
