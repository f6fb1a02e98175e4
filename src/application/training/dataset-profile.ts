import { colSpecDict } from './column-spec';
import { DigestWriter } from './digest-writer';
import { pythonJson } from './python-json';
import { type Cell, columnSpecOf, ColumnStats } from './table-columns';

/**
 * What MLflow records of a dataset's content: the digest, MLflow's column-spec schema and the profile,
 * the JSON strings written as Python's `json.dumps` writes them.
 *
 * @example const { digest, schema, profile }: DatasetContent = profiler.content();
 */
export interface DatasetContent {
  digest: string;
  schema: string;
  profile: string;
}

/**
 * Describes a table row by row, so a file of any size is described in the one pass that reads it (an
 * InferenceJob's input, a gate's holdout) with what a whole table in memory gets (training data): the
 * same rows give the same digest, schema and profile either way.
 *
 * The digest is 8 hex characters of an md5, like MLflow's, over the column names and every cell in row
 * order, each cell as `readCell` reads it: the same names and values give the same digest (`8` and
 * `8.0` are the same value; CRLF or LF, quoted or not, do not matter). It is not byte-equal to the digest
 * MLflow computes for the same DataFrame, which hashes pandas' `hash_pandas_object` output of the first
 * 10,000 rows; this one hashes every row. The profile has MLflow's `num_rows` and `num_elements` plus
 * `columns`: per column its type, missing count and min/max/mean (numbers) or distinct count (text).
 *
 * @example
 * const profiler = new DatasetProfiler(['hour', 'demand']);
 * profiler.add([['8', '120'], ['9', '80']]);
 * profiler.content().digest; // 8 hex characters
 */
export class DatasetProfiler {
  private readonly stats: ColumnStats[];
  private readonly md5 = new DigestWriter();
  private rows = 0;

  constructor(columns: readonly string[]) {
    this.stats = columns.map((name) => new ColumnStats(name));
    this.md5.int64(columns.length);
    for (const name of columns) this.md5.text(name);
  }

  add(rows: ReadonlyArray<ReadonlyArray<Cell>>): void {
    const { stats, md5 } = this;
    for (const row of rows) {
      for (let c = 0; c < stats.length; c++) {
        const value = stats[c]!.add(row[c]);
        if (value === null) md5.byte(0);
        else if (typeof value === 'number') md5.byte(1).double(value === 0 ? 0 : value); // -0 and 0 are the same cell
        else if (typeof value === 'boolean') md5.byte(2).byte(value ? 1 : 0);
        else md5.byte(3).text(value);
      }
    }
    this.rows += rows.length;
  }

  /** Digest, schema and profile of the rows added so far; call once, at the end. */
  content(): DatasetContent {
    return {
      digest: this.md5.int64(this.rows).hex().slice(0, 8),
      schema: pythonJson({ mlflow_colspec: this.stats.map((s) => colSpecDict(columnSpecOf(s))) }),
      profile: pythonJson({
        num_rows: this.rows,
        num_elements: this.rows * this.stats.length,
        columns: Object.fromEntries(this.stats.map((s) => [s.name, s.summary()])),
      }),
    };
  }
}
