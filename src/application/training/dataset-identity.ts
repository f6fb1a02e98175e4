import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ValidationError } from '../../domain/errors';
import type { ColumnSpec, Dataset, DatasetInput, ModelSignature } from '../../domain/model/logged-model';
import { MlflowTags } from '../../domain/model/run';
import { colSpecDict } from './column-spec';
import { PyFloat, pythonJson } from './python-json';
import { typedColumns, type Table, type TypedColumn } from './table-columns';

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
 * The MLflow dataset for a table: name, digest, source, MLflow's column-spec schema and a profile, the
 * JSON strings written as Python's `json.dumps` writes them (what `mlflow.data.from_pandas(df).to_dict()`
 * holds). The profile has MLflow's `num_rows` and `num_elements` plus `columns`: per column its type,
 * missing count and min/max/mean (numbers) or distinct count (text).
 *
 * The digest is 8 hex characters of an md5, like MLflow's, and equally stable: the same column names and
 * the same cell values give the same digest (`8` and `8.0` in a number column are the same value). It is
 * not byte-equal to the digest MLflow computes for the same DataFrame, which hashes pandas'
 * `hash_pandas_object` output of the first 10,000 rows; this one hashes every row.
 *
 * @example
 * const table = parseCsv(text, 'data/bikes.csv');
 * const dataset = datasetFromTable(table, { source: 'data/bikes.csv' });
 * await tracker.logInputs(runId, [datasetInput(dataset, 'training')]);
 */
export function datasetFromTable(table: Table, options: DatasetOptions): Dataset {
  const columns = typedColumns(table);
  const { sourceType, source } = datasetSource(options.source, options.cwd);
  return {
    name: options.name ?? defaultName(options.source),
    digest: tableDigest(columns, table.rows.length),
    sourceType,
    source,
    schema: pythonJson({ mlflow_colspec: columns.map((c) => colSpecDict(specOf(c))) }),
    profile: pythonJson({
      num_rows: table.rows.length,
      num_elements: table.rows.length * columns.length,
      columns: Object.fromEntries(columns.map((c) => [c.name, summary(c)])),
    }),
  };
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
  return { inputs: features.map((name) => specOf(column(name))), outputs: [{ type: outputType }] };
}

function specOf(column: TypedColumn): ColumnSpec {
  return column.missing > 0 ? { name: column.name, type: column.type, required: false } : { name: column.name, type: column.type };
}

function summary(column: TypedColumn): Record<string, unknown> {
  const base = { type: column.type, missing: column.missing };
  if (column.type === 'long' || column.type === 'double') {
    const numbers = column.values.filter((v): v is number => typeof v === 'number');
    if (numbers.length === 0) return base;
    const asType = (v: number) => (column.type === 'double' ? new PyFloat(v) : v);
    const min = numbers.reduce((a, b) => (b < a ? b : a));
    const max = numbers.reduce((a, b) => (b > a ? b : a));
    return { ...base, min: asType(min), max: asType(max), mean: new PyFloat(numbers.reduce((a, b) => a + b, 0) / numbers.length) };
  }
  return { ...base, distinct: new Set(column.values.filter((v) => v !== null)).size };
}

/** md5 over the row count, the column names and every cell, each tagged and length-prefixed so no two tables collide by concatenation. */
function tableDigest(columns: readonly TypedColumn[], rows: number): string {
  const md5 = new DigestWriter();
  md5.int64(rows);
  for (const column of columns) {
    md5.text(column.name);
    for (const value of column.values) {
      if (value === null) md5.byte(0);
      else if (typeof value === 'number') md5.byte(1).double(value === 0 ? 0 : value); // -0 and 0 are the same cell
      else if (typeof value === 'boolean') md5.byte(2).byte(value ? 1 : 0);
      else md5.byte(3).text(value);
    }
  }
  return md5.hex().slice(0, 8);
}

/** Feeds an md5 through one reused 64 KiB buffer: a cell at a time would allocate a Buffer per cell. */
class DigestWriter {
  private readonly hash = createHash('md5');
  private readonly buffer = Buffer.alloc(64 * 1024);
  private at = 0;

  byte(value: number): this {
    this.room(1);
    this.buffer[this.at++] = value;
    return this;
  }

  double(value: number): this {
    this.room(8);
    this.at = this.buffer.writeDoubleLE(value, this.at);
    return this;
  }

  int64(value: number): this {
    this.room(8);
    this.at = this.buffer.writeBigInt64LE(BigInt(value), this.at);
    return this;
  }

  text(value: string): this {
    const length = Buffer.byteLength(value, 'utf8');
    this.room(4);
    this.at = this.buffer.writeUInt32LE(length, this.at);
    if (length > this.buffer.length) {
      this.flush();
      this.hash.update(value, 'utf8');
    } else {
      this.room(length);
      this.at += this.buffer.write(value, this.at, 'utf8');
    }
    return this;
  }

  hex(): string {
    this.flush();
    return this.hash.digest('hex');
  }

  private room(bytes: number): void {
    if (this.at + bytes > this.buffer.length) this.flush();
  }

  private flush(): void {
    if (this.at > 0) this.hash.update(this.buffer.subarray(0, this.at));
    this.at = 0;
  }
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
