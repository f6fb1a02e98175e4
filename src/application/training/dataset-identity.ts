import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ValidationError } from '../../domain/errors';
import type { Dataset, DatasetInput, ModelSignature } from '../../domain/model/logged-model';
import { MlflowTags } from '../../domain/model/run';
import { type DatasetContent, DatasetProfiler } from './dataset-profile';
import { pythonJson } from './python-json';
import { columnSpecOf, typedColumns, type Table } from './table-columns';

/**
 * Where a dataset came from and what to call it. `source` is a file path (made absolute against `cwd`,
 * default the process's) or a URI (`s3://…`, `https://…`, `file:///…`); user and password in a URI are
 * dropped, so a dataset never carries a credential.
 *
 * @example const options: DatasetOptions = { source: 'data/bikes.csv', name: 'bikes' };
 */
export interface DatasetOptions {
  source: string;
  /** Default: the file name without its extension (`bikes` for `data/bikes.csv`). */
  name?: string;
  cwd?: string;
}

/**
 * The MLflow dataset for a table in memory: name and source from `options`, digest, schema and profile
 * as {@link DatasetProfiler} describes the rows (what `mlflow.data.from_pandas(df).to_dict()` holds).
 *
 * @example
 * const dataset = datasetFromTable({ columns: ['hour', 'demand'], rows: [['8', '120'], ['9', '80']] }, { source: 'data/bikes.csv' });
 * await tracker.logInputs(runId, [datasetInput(dataset, 'training')]);
 */
export function datasetFromTable(table: Table, options: DatasetOptions): Dataset {
  const profiler = new DatasetProfiler(table.columns);
  profiler.add(table.rows);
  return datasetRecord(profiler.content(), options);
}

/**
 * A dataset record from described content and where it came from: the name (default: the file name
 * without its extension) and MLflow's source type and source JSON.
 *
 * @example const dataset = datasetRecord(profiler.content(), { source: '/data/holdout.csv' });
 */
export function datasetRecord(content: DatasetContent, options: DatasetOptions): Dataset {
  const { sourceType, source } = datasetSource(options.source, options.cwd);
  return { name: options.name ?? defaultName(options.source), digest: content.digest, sourceType, source, schema: content.schema, profile: content.profile };
}

/**
 * A dataset as a run input with MLflow's context tag (`training`, `evaluation`, `inference`).
 *
 * @example await tracker.logInputs(runId, [datasetInput(dataset, 'training')]);
 */
export function datasetInput(dataset: Dataset, context: string): DatasetInput {
  return { dataset, tags: { [MlflowTags.DATASET_CONTEXT]: context } };
}

/**
 * The signature of a model trained on `features` to predict `target`: the feature columns with their
 * inferred types (in the order given), and one unnamed output, `double` for a numeric target (a
 * regression's prediction is a float even when the target column holds whole numbers).
 *
 * @example signatureOf(table, ['hour', 'temperature'], 'demand'); // { inputs: [{ name: 'hour', type: 'long' }, …], outputs: [{ type: 'double' }] }
 */
export function signatureOf(table: Table, features: readonly string[], target: string): ModelSignature {
  const byName = new Map(typedColumns(table).map((c) => [c.name, c]));
  const column = (name: string) => {
    const found = byName.get(name);
    if (!found) {
      throw new ValidationError(`signatureOf: no column "${name}" in the table (columns: ${table.columns.join(', ')}).`, undefined, { details: { column: name } });
    }
    return found;
  };
  const output = column(target);
  const outputType = output.type === 'long' || output.type === 'double' ? 'double' : output.type;
  return { inputs: features.map((name) => columnSpecOf(column(name))), outputs: [{ type: outputType }] };
}

/** MLflow's source types by URI scheme: `local` for files, `http` for web URLs (key `url`), the scheme otherwise. */
function datasetSource(source: string, cwd = process.cwd()): { sourceType: string; source: string } {
  const isUri = /^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(source); // two letters at least: `C:\data` is a path
  if (!isUri) return { sourceType: 'local', source: pythonJson({ uri: pathToFileURL(resolve(cwd, source)).href }) };
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new ValidationError(`Dataset source ${JSON.stringify(redactUserInfo(source))} is not a valid URI; give a file path or a URI such as s3://bucket/data.csv.`);
  }
  url.username = '';
  url.password = '';
  // a query or fragment can carry a signature (presigned S3 URLs, Azure SAS tokens): never recorded
  url.search = '';
  url.hash = '';
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (scheme === 'http' || scheme === 'https') return { sourceType: 'http', source: pythonJson({ url: url.href }) };
  return { sourceType: scheme === 'file' ? 'local' : scheme, source: pythonJson({ uri: url.href }) };
}

function redactUserInfo(uri: string): string {
  return uri.replace(/\/\/[^/@]*@/, '//');
}

function defaultName(source: string): string {
  const last = basename(source.replace(/[?#].*$/, '').replace(/\/+$/, ''));
  return last.slice(0, last.length - extname(last).length) || 'dataset';
}
