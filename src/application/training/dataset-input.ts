import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Dataset as DatasetRecord, ModelSignature } from '../../domain/model/logged-model';
import type { CsvTable } from './csv';
import type { Dataset } from './dataset';
import { describeTable } from './dataset-identity';

/** Where a job's training data came from, as `loadTrainingData` read it. */
export interface DataOrigin {
  seed: number;
  rows: number;
  dataPath?: string;
}

const described = new WeakMap<Dataset, DatasetRecord>();

/**
 * The training data as an MLflow dataset input: a CSV file is a `local` source (its file URI), the
 * synthetic table a `code` source naming its generator, seed and size. Computed once per table, so
 * branches that share a table share the digest work.
 *
 * @example await tracker.logInputs(runId, [{ dataset: trainingDataset(data, config), tags: { 'mlflow.data.context': 'training' } }]);
 */
export function trainingDataset(data: Dataset, origin: DataOrigin): DatasetRecord {
  let record = described.get(data);
  if (record === undefined) {
    const columns = [...data.featureNames, data.target];
    const rows = data.features.map((row, i) => [...row, data.targets[i]!]);
    record = origin.dataPath !== undefined
      ? describeTable({ columns, rows }, { name: path.basename(origin.dataPath), sourceType: 'local', source: { uri: pathToFileURL(path.resolve(origin.dataPath)).href } })
      : describeTable({ columns, rows }, { name: 'bike-demand', sourceType: 'code', source: { generator: 'bike-demand', seed: origin.seed, rows: origin.rows } });
    described.set(data, record);
  }
  return record;
}

/**
 * A CSV file an InferenceJob scores, as an MLflow dataset input (`local` source, its file URI).
 *
 * @example const dataset = csvDataset(parseCsv(text, file), file);
 */
export function csvDataset(table: CsvTable, file: string): DatasetRecord {
  return describeTable(table, { name: path.basename(file), sourceType: 'local', source: { uri: pathToFileURL(path.resolve(file)).href } });
}

/**
 * What a linear model takes and returns: every feature a double, one unnamed double prediction.
 *
 * @example signatureOf(data).inputs.map((c) => c.name); // ['hour', 'temperature', …]
 */
export function signatureOf(data: Dataset): ModelSignature {
  return {
    inputs: data.featureNames.map((name) => ({ name, type: 'double', required: true })),
    outputs: [{ type: 'double', required: true }],
  };
}

/**
 * The first `count` rows of features, as records keyed by feature name: the model's input example.
 *
 * @example inputExampleOf(data, 2); // [{ hour: 8, temperature: 14.5, … }, { … }]
 */
export function inputExampleOf(data: Dataset, count: number): Record<string, number>[] {
  return data.features.slice(0, count).map((row) => Object.fromEntries(data.featureNames.map((name, j) => [name, row[j]!])));
}
