import path from 'node:path';
import { readCsvDataset } from '../training/csv';
import { CpuSlice } from '../training/cpu-slice';
import { type Dataset, generateBikeDemand } from '../training/dataset';

/** Where a job's training data comes from: a CSV file, or the synthetic bike-demand table. */
export interface DataSpec {
  seed: number;
  rows: number;
  dataPath?: string;
}

/** Short description of the source for params and tags (a file's base name, never its directory). */
export function dataSourceLabel(spec: DataSpec): string {
  return spec.dataPath ? `csv:${path.basename(spec.dataPath)}` : 'synthetic:bike-demand';
}

/**
 * Loads the training data of a job: `dataPath` read as CSV (relative to the working directory), else
 * `rows` synthetic rows from `seed` (generated in slices that yield to the event loop and stop once
 * `signal` aborts). A missing file is a ConfigError naming `keyPath`; a bad cell a ValidationError naming
 * the key, the file and the line.
 *
 * @example const data = await loadTrainingData({ seed: 42, rows: 500 });
 */
export async function loadTrainingData(spec: DataSpec, keyPath = 'job.dataPath', signal?: AbortSignal): Promise<Dataset> {
  if (!spec.dataPath) return generateBikeDemand(spec.seed, spec.rows, new CpuSlice(signal));
  return readCsvDataset({ file: path.resolve(spec.dataPath), keyPath });
}
