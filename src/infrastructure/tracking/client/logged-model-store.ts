import type { DatasetInput, LoggedModel, LoggedModelStatus, ModelOutput } from '../../../domain/model/logged-model';

/**
 * A logged model as the client asks a store to create it (values checked, params as strings).
 *
 * @example await models.create({ experimentId: '0', name: 'model', sourceRunId: runId, params: {}, tags: {} });
 */
export interface NewLoggedModel {
  experimentId: string;
  name: string;
  sourceRunId?: string;
  modelType?: string;
  params: Record<string, string>;
  tags: Record<string, string>;
}

/**
 * The MLflow 3 parts of a store: logged models (`m-…`), and a run's dataset inputs and model outputs.
 * MLflow REST (the logged-models API), the local store (MLflow 3 FileStore layout) and memory implement it.
 *
 * @example
 * if (await models.supported()) {
 *   const pending = await models.create({ experimentId, name: 'model', sourceRunId: runId, params: {}, tags: {} });
 *   await models.finalize(pending.modelId!, 'READY');
 * }
 */
export interface LoggedModelStore {
  /**
   * Whether the backend has logged models. An MLflow 2.x server answers false (asked once per server, then
   * remembered); the client then writes the model as run artifacts. `logInputs` works either way.
   */
  supported(): Promise<boolean>;
  /** Creates a PENDING model whose `artifactUri` is where its files go. */
  create(model: NewLoggedModel): Promise<LoggedModel>;
  /** Marks it READY (files complete) or FAILED. */
  finalize(modelId: string, status: Exclude<LoggedModelStatus, 'PENDING'>): Promise<LoggedModel>;
  /** NotFoundError(MODEL_NOT_FOUND) when unknown. */
  get(modelId: string): Promise<LoggedModel>;
  /** Records models as outputs of a run. */
  logOutputs(runId: string, outputs: ModelOutput[]): Promise<void>;
  /** Records datasets as inputs of a run; a dataset with the same name and digest is stored once. */
  logInputs(runId: string, inputs: DatasetInput[]): Promise<void>;
  /**
   * Where there are no logged models (MLflow 2.x): records a model saved as run artifacts the way MLflow
   * 2.x does (`runs/log-model`, appended to the run's `mlflow.log-model.history` tag, which its UI lists).
   * `modelJson` is MLflow's `Model.get_tags_dict()` as JSON. Absent on stores with logged models.
   */
  recordRunModel?(runId: string, modelJson: string): Promise<void>;
}
