import { CsvFile, type CsvBatch } from '../csv/csv-reader';
import { type CsvSource, csvProblem } from '../csv/csv-source';
import type { Dataset } from './dataset';
import { readCell } from './table-columns';

/**
 * Reads the named columns of a batch as numbers; throws naming the file, line and column of the first
 * cell that is not one (an empty cell counts: training data has no gaps).
 *
 * @example numericColumns(batch, ['hour', 'temperature'], source); // [[8, 21.5], [9, 19]]
 */
export function numericColumns(batch: CsvBatch, names: readonly string[], source: CsvSource): number[][] {
  const indexes = names.map((name) => {
    const at = batch.columns.indexOf(name);
    if (at < 0) throw csvProblem(source, `missing column "${name}" (columns: ${batch.columns.join(', ')}); add it to the header`);
    return at;
  });
  return batch.rows.map((row, r) =>
    indexes.map((at, c) => {
      const value = readCell(row[at]);
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw csvProblem(source, `column "${names[c]}" is not a number: ${JSON.stringify(row[at]!.trim().slice(0, 20))}`, batch.lines[r]);
      }
      return value;
    }),
  );
}

/**
 * A training dataset from a CSV file, read as a stream ({@link CsvFile}): every column but `target` is
 * a feature, every cell a number. Needs at least two rows.
 *
 * @example const data = await readCsvDataset({ file: '/data/bikes.csv', keyPath: 'job.dataPath' }); data.featureNames; // ['hour', …]
 */
export async function readCsvDataset(source: CsvSource, target = 'demand'): Promise<Dataset> {
  const csv = await CsvFile.open(source);
  const { columns } = csv;
  const fail = (problem: string): never => {
    csv.close();
    throw csvProblem(source, problem);
  };
  if (!columns.includes(target)) fail(`no target column "${target}" (columns: ${columns.join(', ')}); name the column to predict "${target}"`);
  const featureNames = columns.filter((c) => c !== target);
  if (featureNames.length === 0) fail(`only the target column "${target}" is present; add feature columns`);
  const features: number[][] = [];
  const targets: number[] = [];
  for await (const batch of csv.batches()) {
    for (const row of numericColumns(batch, featureNames, source)) features.push(row);
    for (const [value] of numericColumns(batch, [target], source)) targets.push(value!);
  }
  if (features.length < 2) fail(`needs at least 2 data rows, got ${features.length}`);
  return { featureNames, target, features, targets };
}
