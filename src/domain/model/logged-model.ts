import type { OnnxGraph } from './onnx-graph';

/**
 * Where a logged model is in its life: created and receiving files (`PENDING`), complete (`READY`), or
 * abandoned (`FAILED`). MLflow 3 names them LOGGED_MODEL_PENDING / _READY / _UPLOAD_FAILED on the wire.
 *
 * @example if (model.status !== 'READY') throw new Error(`${model.modelId} is still ${model.status}`);
 */
export type LoggedModelStatus = 'PENDING' | 'READY' | 'FAILED';

/**
 * A model logged by a run: MLflow 3's first-class model (`m-…` id, files under its own artifact location),
 * or, on a 2.x server that has no such thing, the run artifacts it was written to. `modelUri` loads it
 * either way: `models:/m-<id>` or `runs:/<run id>/<name>`.
 *
 * @example
 * const model = await tracker.logModel(runId, { name: 'model', path: './out/model' });
 * await registry.createModelVersion({ name: 'churn', source: model.modelUri, runId, modelId: model.modelId });
 */
export interface LoggedModel {
  /** `m-<32 hex>`; undefined when the server has no logged models (MLflow 2.x) and the model is run artifacts. */
  modelId?: string;
  /** The model's name in its run (also its artifact path on 2.x servers), e.g. `model`. */
  name: string;
  experimentId: string;
  sourceRunId?: string;
  /** Where the model's files are (its root holds the MLmodel file). */
  artifactUri: string;
  /** The URI that loads it: `models:/m-<id>` or `runs:/<run id>/<name>`. */
  modelUri: string;
  status: LoggedModelStatus;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  modelType?: string;
  params: Record<string, string>;
  tags: Record<string, string>;
}

/**
 * A column's type in an MLflow signature (MLflow's `DataType` names).
 *
 * @example const type: ColumnType = typeof value === 'number' ? 'double' : 'string';
 */
export type ColumnType = 'boolean' | 'integer' | 'long' | 'float' | 'double' | 'string' | 'binary' | 'datetime';

/**
 * One column of a model's input or output, as MLflow's column-based signature describes it.
 *
 * @example const column: ColumnSpec = { name: 'temperature', type: 'double', required: true };
 */
export interface ColumnSpec {
  /** Column name; omitted for an unnamed output (a single prediction column). */
  name?: string;
  type: ColumnType;
  /** False when the column may be missing; MLflow's default is true. */
  required?: boolean;
}

/**
 * What a model takes and returns; written into the MLmodel file, where MLflow's UI and
 * `mlflow.models.get_model_info(…).signature` read it.
 *
 * @example const signature: ModelSignature = { inputs: [{ name: 'temp', type: 'double' }], outputs: [{ type: 'double' }] };
 */
export interface ModelSignature {
  inputs: ColumnSpec[];
  outputs?: ColumnSpec[];
}

/**
 * What `tracker.logModel` logs: the files in `path` (a local directory) and/or an ONNX model (`onnx`),
 * at least one of them, become the model, with an MLmodel file written at its root describing its
 * flavors, the signature and the input example.
 *
 * With `onnx`, the model is also one MLflow's own tools run: `model.onnx` with the `onnx` and
 * `python_function` flavors (`loader_module: mlflow.onnx`) and the `requirements.txt`,
 * `python_env.yaml` and `conda.yaml` that `mlflow.onnx.log_model` writes, so
 * `mlflow.pyfunc.load_model(uri).predict(df)` and `mlflow models serve` score it in Python, and
 * onnxruntime-node in Node.
 *
 * @example
 * await tracker.logModel(runId, {
 *   name: 'model', path: './out/model', loader: 'linear-regression', signature,
 *   inputExample: [{ temp: 21.5 }], params: { alpha: '0.1' },
 * });
 * await tracker.logModel(runId, { name: 'model', onnx: await fs.readFile('model.onnx'), signature, inputExample: [{ temp: 21.5 }] });
 */
export type LogModelRequest = LogModelFields & ModelSource;

/**
 * Where a logged model's files come from: a directory, an ONNX model, or both.
 *
 * @example const source: ModelSource = { onnx: graph };
 */
export type ModelSource = { path: string; onnx?: OnnxGraph | Uint8Array } | { path?: string; onnx: OnnxGraph | Uint8Array };

/**
 * Everything a {@link LogModelRequest} says besides where the files come from.
 *
 * @example const fields: LogModelFields = { name: 'model', signature, modelType: 'regressor' };
 */
export interface LogModelFields {
  /** The model's name in its run, e.g. `model`. A valid artifact path segment. */
  name: string;
  /** A local directory whose files are the model. It is not modified. */
  path?: string;
  /**
   * An ONNX model, saved as `model.onnx`: a graph (encoded on the way) or the bytes of an ONNX file.
   * Give the signature too: it names the columns MLflow and mlops-kit feed it (a model whose one input is
   * several columns wide cannot be scored without it).
   */
  onnx?: OnnxGraph | Uint8Array;
  /** How mlops-kit loads it (the `mlops_kit` flavor's `loader`), e.g. `linear-regression`. */
  loader?: string;
  /** The file in `path` the loader reads (the flavor's `data`), e.g. `model.json`. */
  data?: string;
  /** More flavors to declare in the MLmodel file, by flavor name. */
  flavors?: Record<string, Record<string, unknown>>;
  signature?: ModelSignature;
  /** A few input rows, saved as `input_example.json` (MLflow's pandas split orient). */
  inputExample?: Record<string, unknown>[];
  params?: Record<string, string | number | boolean>;
  tags?: Record<string, string>;
  /** Free text MLflow shows as the model type, e.g. `regressor`. */
  modelType?: string;
}

/**
 * A dataset a run used, as MLflow records it (`runs/log-inputs`): identity (name + digest), where it came
 * from, and optional schema and profile, both JSON strings in MLflow's formats.
 *
 * @example const dataset: Dataset = { name: 'bikes', digest: 'a1b2c3d4', sourceType: 'local', source: '{"uri":"file:///data/bikes.csv"}' };
 */
export interface Dataset {
  name: string;
  /** A short content hash: the same data gives the same digest. */
  digest: string;
  /** e.g. `local`, `http`, `s3`. */
  sourceType: string;
  /** JSON describing the source, e.g. `{"uri":"file:///data/bikes.csv"}`. */
  source: string;
  /** JSON: `{"mlflow_colspec": [...]}`, MLflow's column-spec schema. */
  schema?: string;
  /** JSON: row count and per-column summary. */
  profile?: string;
}

/**
 * A dataset as one run's input, with tags such as `mlflow.data.context` (`training`, `evaluation`, `inference`).
 *
 * @example await tracker.logInputs(runId, [{ dataset, tags: { 'mlflow.data.context': 'training' } }]);
 */
export interface DatasetInput {
  dataset: Dataset;
  tags: Record<string, string>;
}

/**
 * A logged model a run produced (`step` is the training step it was logged at, 0 by default).
 *
 * @example const ids = run.outputs?.modelOutputs.map((o: ModelOutput) => o.modelId);
 */
export interface ModelOutput {
  modelId: string;
  step: number;
}
