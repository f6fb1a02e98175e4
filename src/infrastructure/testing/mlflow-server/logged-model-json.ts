import { listOrOmit, pairsOrOmit } from './http-io';
import type { LoggedModelRecord, RunRecord } from './store';

/**
 * MLflow 3's LoggedModel message as the server writes it (LoggedModel.to_proto: `info` with the
 * attributes and tags, `data` with the params; empty lists left out, no `registrations`).
 *
 * @example return { model: loggedModelJson(store.loggedModels.get(id)!) };
 */
export function loggedModelJson(m: LoggedModelRecord): Record<string, unknown> {
  return {
    info: {
      model_id: m.id,
      experiment_id: m.experimentId,
      name: m.name,
      creation_timestamp_ms: m.creationTimestamp,
      last_updated_timestamp_ms: m.lastUpdatedTimestamp,
      artifact_uri: m.artifactUri,
      status: m.status,
      model_type: m.modelType,
      source_run_id: m.sourceRunId,
      tags: pairsOrOmit(m.tags),
    },
    data: { params: pairsOrOmit(m.params) },
  };
}

/**
 * A run's `inputs` (RunInputs): `{}` until datasets are logged, as both 2.x and 3.x answer.
 *
 * @example const run = { info, data, inputs: runInputsJson(record) };
 */
export function runInputsJson(r: RunRecord): Record<string, unknown> {
  return {
    dataset_inputs: listOrOmit(r.datasetInputs.map((d) => ({ tags: pairsOrOmit(d.tags), dataset: d.dataset }))),
  };
}

/**
 * A run's `outputs` (RunOutputs, 3.x runs/get only): `{}` until a model is logged as an output.
 *
 * @example const run = { info, data, inputs: runInputsJson(record), outputs: runOutputsJson(record) };
 */
export function runOutputsJson(r: RunRecord): Record<string, unknown> {
  return { model_outputs: listOrOmit(r.modelOutputs.map((o) => ({ model_id: o.modelId, step: o.step }))) };
}
