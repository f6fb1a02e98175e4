import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, ErrorCodes } from '../../domain/errors';
import { datasetFromCsv } from '../training/csv';
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
 * `signal` aborts). A missing file is a ConfigError naming `keyPath`.
 *
 * @example const data = await loadTrainingData({ seed: 42, rows: 500 });
 */
export async function loadTrainingData(spec: DataSpec, keyPath = 'job.dataPath', signal?: AbortSignal): Promise<Dataset> {
  if (!spec.dataPath) return generateBikeDemand(spec.seed, spec.rows, new CpuSlice(signal));
  const file = path.resolve(spec.dataPath);
  const text = await readText(file, keyPath);
  return datasetFromCsv(text, file);
}

/** Reads a UTF-8 file; a missing or unreadable file becomes a ConfigError that names the key and the path. */
export async function readText(file: string, keyPath: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? String(error)})`;
    throw new ConfigError(`${keyPath}: ${file} ${why}; point ${keyPath} at a CSV file (relative paths start from ${process.cwd()}).`, ErrorCodes.CONFIG_INVALID, {
      details: { keyPath, file },
      cause: error,
    });
  }
}
