import type { ModelSignature } from '../../../domain/model/logged-model';
import { colSpecJson } from '../../../application/training/column-spec';
import { pythonJson } from '../../../application/training/python-json';
import type { SavedInputExampleInfo } from './input-example';
import { pyyamlDump } from './pyyaml-dump';

/**
 * The file at a model's root that MLflow reads to know what the model is.
 *
 * @example await fs.writeFile(join(modelDir, MLMODEL_FILE), mlmodelYaml(fields));
 */
export const MLMODEL_FILE = 'MLmodel';

/**
 * The flavor name mlops-kit declares, and looks for when it loads a model.
 *
 * @example const flavors = { [MLOPS_KIT_FLAVOR]: { loader: 'linear-regression', mlops_kit_version: '0.1.0' } };
 */
export const MLOPS_KIT_FLAVOR = 'mlops_kit';

/**
 * The `mlops_kit` flavor: how mlops-kit loads the model back. `loader` names the model kind
 * (e.g. `linear-regression`), `data` the file in the model directory holding its parameters.
 *
 * This flavor has no Python counterpart: `python_function` promises `mlflow.pyfunc.load_model` a Python
 * `loader_module` that can rebuild and run the model, and there is no such module for `model.json`.
 * A model logged with an ONNX graph as well (TrainingJob's are) declares `python_function` through
 * `mlflow.onnx` (see `onnxFlavors`), which runs `model.onnx`; one logged with `mlops_kit` alone leaves it
 * out, and gets MLflow's honest "Model does not have the python_function flavor" in Python.
 *
 * @example const flavor: MlopsKitFlavor = { loader: 'linear-regression', mlops_kit_version: '0.1.0', data: 'model.json' };
 */
export interface MlopsKitFlavor {
  loader: string;
  mlops_kit_version: string;
  data?: string;
  [key: string]: unknown;
}

/**
 * What goes into an MLmodel file. `artifactPath` is what MLflow writes there: on MLflow 3 the logged
 * model's artifact location (`mlflow-artifacts:/1/models/m-…/artifacts`), on a 2.x server the model's
 * path in its run (`model`). `modelUuid` is the model id on MLflow 3 (MLflow sets `model_uuid=model_id`),
 * else a fresh uuid4 hex.
 *
 * @example
 * mlmodelYaml({ artifactPath: 'model', runId, modelUuid: randomUUID().replace(/-/g, ''), createdAt: Date.now(),
 *   flavors: { mlops_kit: { loader: 'linear-regression', mlops_kit_version: '0.1.0', data: 'model.json' } } });
 */
export interface MlmodelFields {
  artifactPath?: string;
  modelId?: string;
  runId?: string;
  modelUuid: string;
  /** When the model was saved (ms since epoch or a Date); written in UTC as MLflow's `str(datetime)`. */
  createdAt: Date | number;
  flavors: Record<string, Record<string, unknown>>;
  signature?: ModelSignature;
  /** From `inputExampleFiles(rows).info`, when the example files are written next to the MLmodel. */
  inputExample?: SavedInputExampleInfo;
  /** Total size of the model's files in bytes (`model_size_bytes`). */
  sizeBytes?: number;
  /** Written only when given: mlops-kit is not MLflow and does not claim an MLflow version. */
  mlflowVersion?: string;
  /** Free-form metadata MLflow shows as the model's `metadata`. */
  metadata?: Record<string, unknown>;
}

/**
 * The MLmodel text exactly as MLflow 3's `Model.to_yaml()` writes it (`yaml.safe_dump(to_dict(),
 * default_flow_style=False)`: keys sorted, signature inputs/outputs as JSON strings of column specs,
 * `model_id` and `prompts` present even when null as MLflow 3 writes them, `run_id` and `artifact_path`
 * left out when unknown). MLflow 2.x readers accept the MLflow 3 keys (its `Model(**kwargs)` keeps
 * unknown ones).
 *
 * @example await fs.writeFile(join(dir, MLMODEL_FILE), mlmodelYaml(fields));
 */
export function mlmodelYaml(fields: MlmodelFields): string {
  const doc: Record<string, unknown> = {
    utc_time_created: pythonUtcTime(fields.createdAt),
    flavors: fields.flavors,
    model_uuid: fields.modelUuid,
    prompts: null,
    model_id: fields.modelId ?? null,
  };
  if (fields.runId !== undefined) doc.run_id = fields.runId;
  if (fields.artifactPath !== undefined) doc.artifact_path = fields.artifactPath;
  if (fields.mlflowVersion !== undefined) doc.mlflow_version = fields.mlflowVersion;
  if (fields.signature) {
    doc.signature = {
      inputs: fields.signature.inputs.length > 0 ? colSpecJson(fields.signature.inputs) : null,
      outputs: fields.signature.outputs && fields.signature.outputs.length > 0 ? colSpecJson(fields.signature.outputs) : null,
      params: null,
    };
    doc.is_signature_from_type_hint = false;
    doc.type_hint_from_example = false;
  }
  if (fields.inputExample) doc.saved_input_example_info = { ...fields.inputExample };
  if (fields.metadata) doc.metadata = fields.metadata;
  if (fields.sizeBytes !== undefined) doc.model_size_bytes = fields.sizeBytes;
  return pyyamlDump(doc);
}

/**
 * The run's record of a model on servers without logged models, as MLflow's `Model.get_tags_dict()`
 * builds it: `run_id`, `artifact_path`, `utc_time_created`, `model_uuid` (those present, in that order)
 * and `flavors` without their `config` keys, as JSON text (`json.dumps`). MLflow 2.x sends it as
 * `model_json` to `runs/log-model`, and its stores append it to the run's `mlflow.log-model.history` tag
 * (a JSON list), which the 2.x UI reads to list a run's models.
 *
 * @example await rest.post('runs/log-model', { run_id: runId, model_json: logModelJson(fields) });
 */
export function logModelJson(fields: MlmodelFields): string {
  const entry: Record<string, unknown> = {};
  if (fields.runId !== undefined) entry.run_id = fields.runId;
  if (fields.artifactPath !== undefined) entry.artifact_path = fields.artifactPath;
  entry.utc_time_created = pythonUtcTime(fields.createdAt);
  entry.model_uuid = fields.modelUuid;
  entry.flavors = Object.fromEntries(
    Object.entries(fields.flavors).map(([name, config]) => [name, Object.fromEntries(Object.entries(config).filter(([key]) => key !== 'config'))]),
  );
  return pythonJson(entry);
}

/**
 * Python's `str(datetime)` of a naive UTC time, as MLflow stores `utc_time_created`:
 * `YYYY-MM-DD HH:MM:SS.ffffff`, the fraction left out when it is zero.
 *
 * @example pythonUtcTime(Date.UTC(2026, 0, 12, 5, 17, 31, 634)); // '2026-01-12 05:17:31.634000'
 */
export function pythonUtcTime(at: Date | number): string {
  const iso = new Date(at).toISOString(); // 2026-01-12T05:17:31.634Z
  const ms = iso.slice(20, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms === '000' ? '' : `.${ms}000`}`;
}
