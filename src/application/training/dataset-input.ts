import type { Dataset as DatasetRecord, ModelSignature } from '../../domain/model/logged-model';
import type { Dataset } from './dataset';
import { datasetFromTable, signatureOf as tableSignature } from './dataset-identity';
import { pythonJson } from './python-json';
import type { Table } from './table-columns';

/** Where a job's training data came from, as `loadTrainingData` read it. */
export interface DataOrigin {
  seed: number;
  rows: number;
  dataPath?: string;
}

const described = new WeakMap<Dataset, DatasetRecord>();

/**
 * The training data as an MLflow dataset: a CSV file is a `local` source (its file URI), the synthetic
 * table a `code` source naming its generator, seed and size. Worked out once per table, so branches
 * that share a table share the digest.
 *
 * @example await tracker.logInputs(runId, [datasetInput(trainingDataset(data, config), 'training')]);
 */
export function trainingDataset(data: Dataset, origin: DataOrigin): DatasetRecord {
  let record = described.get(data);
  if (record === undefined) {
    const table = tableOf(data);
    record =
      origin.dataPath !== undefined
        ? datasetFromTable(table, { source: origin.dataPath })
        : { ...datasetFromTable(table, { source: 'bike-demand', name: 'bike-demand' }), sourceType: 'code', source: pythonJson({ generator: 'bike-demand', seed: origin.seed, rows: origin.rows }) };
    described.set(data, record);
  }
  return record;
}

/**
 * What a model trained on `data` takes and returns: its feature columns as typed in the data, and one
 * double prediction.
 *
 * @example signatureOf(data).inputs.map((c) => c.name); // ['hour', 'temperature', …]
 */
export function signatureOf(data: Dataset): ModelSignature {
  return tableSignature(tableOf(data), data.featureNames, data.target);
}

/**
 * The first `count` rows of features, as records keyed by feature name: the model's input example.
 *
 * @example inputExampleOf(data, 2); // [{ hour: 8, temperature: 14.5, … }, { … }]
 */
export function inputExampleOf(data: Dataset, count: number): Record<string, number>[] {
  return data.features.slice(0, count).map((row) => Object.fromEntries(data.featureNames.map((name, j) => [name, row[j]!])));
}

function tableOf(data: Dataset): Table {
  return { columns: [...data.featureNames, data.target], rows: data.features.map((row, i) => [...row, data.targets[i]!]) };
}
