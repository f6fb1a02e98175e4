import type { ColumnSpec, ColumnType } from '../../domain/model/logged-model';
import { PyFloat } from './python-json';

/**
 * One cell of a table: text from a CSV file, or a number, boolean or gap built in code.
 *
 * @example const cells: Cell[] = ['8', 21.5, true, null];
 */
export type Cell = string | number | boolean | null | undefined;

/**
 * A table as mlops-kit reads it: a header and rows of cells, text from a CSV file (a `CsvBatch` fits) or
 * numbers and strings built in code. An empty or whitespace-only text cell is missing.
 *
 * @example const table: Table = { columns: ['hour', 'demand'], rows: [['8', '120'], [9, 80]] };
 */
export interface Table {
  columns: readonly string[];
  rows: ReadonlyArray<ReadonlyArray<Cell>>;
}

/**
 * A column's type and gaps as {@link ColumnStats} infer them.
 *
 * @example typedColumns(table)[0]; // { name: 'hour', type: 'long', missing: 0 }
 */
export interface TypedColumn {
  name: string;
  type: Extract<ColumnType, 'long' | 'double' | 'boolean' | 'string'>;
  missing: number;
}

// what pandas' C parser accepts as a number (no hex, no `Infinity`, no `1_000`)
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const TRUE = /^(true|True|TRUE)$/;
const FALSE = /^(false|False|FALSE)$/;

/**
 * Past this many distinct values a text column's profile says "at least": memory stays bounded on a column of unique ids.
 *
 * @example new ColumnStats('id').summary(); // { type: 'string', missing: 0, distinct: 0 }; past MAX_DISTINCT ids: { …, distinct_at_least: 10000 }
 */
export const MAX_DISTINCT = 10_000;

/**
 * A cell's value as pandas' `read_csv` reads it: an empty or whitespace-only text (or NaN) is missing
 * (`null`), a number as pandas' C parser accepts it is a number, `true`/`True`/`TRUE` (and false) a
 * boolean, anything else the text, trimmed. The one reading of a cell: for column types, digests and
 * profiles, and for a model's numeric and boolean inputs.
 *
 * @example [' 8 ', '8.5e1', 'TRUE', '0x10', ''].map(readCell); // [8, 85, true, '0x10', null]
 */
export function readCell(cell: Cell): number | boolean | string | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number') return Number.isNaN(cell) ? null : cell;
  if (typeof cell === 'boolean') return cell;
  const text = cell.trim();
  if (text === '') return null;
  if (NUMBER.test(text)) return Number(text);
  if (TRUE.test(text)) return true;
  if (FALSE.test(text)) return false;
  return text;
}

/**
 * One column read cell by cell, the way pandas' `read_csv` types it and MLflow's schema inference then
 * names the type: whole numbers only → `long`; numbers with a fraction or an exponent, or whole numbers
 * with gaps (pandas turns them into float64 NaN) → `double`; true/false → `boolean`; anything else →
 * `string`. Keeps what a profile needs (gaps, min/max/sum, distinct values up to {@link MAX_DISTINCT}),
 * never the cells, so a column of any length is typed in constant memory.
 *
 * @example
 * const stats = new ColumnStats('hour');
 * for (const cell of ['8', '9', '']) stats.add(cell);
 * stats.type; // 'double' (a gap)
 */
export class ColumnStats {
  missing = 0;
  private present = 0;
  private numbers = true;
  private whole = true;
  private bools = true;
  private min = Infinity;
  private max = -Infinity;
  private sum = 0;
  private sawTrue = false;
  private sawFalse = false;
  private readonly distinct = new Set<string>();
  private distinctCapped = false;

  constructor(readonly name: string) {}

  /** Counts one cell in; returns its value as {@link readCell} reads it. */
  add(cell: Cell): ReturnType<typeof readCell> {
    const value = readCell(cell);
    if (value === null) {
      this.missing++;
      return value;
    }
    this.present++;
    if (typeof value === 'number') {
      this.bools = false;
      if (this.numbers) {
        if (value < this.min) this.min = value;
        if (value > this.max) this.max = value;
        this.sum += value;
        if (this.whole && !(typeof cell === 'string' ? INTEGER.test(cell.trim()) : Number.isInteger(value))) this.whole = false;
      }
    } else if (typeof value === 'boolean') {
      this.numbers = false;
      if (value) this.sawTrue = true;
      else this.sawFalse = true;
    } else {
      this.numbers = false;
      this.bools = false;
    }
    if (!this.distinctCapped) {
      this.distinct.add(typeof cell === 'string' ? cell.trim() : String(value));
      if (this.distinct.size > MAX_DISTINCT) this.distinctCapped = true;
    }
    return value;
  }

  get type(): TypedColumn['type'] {
    if (this.present > 0 && this.numbers) return this.whole && this.missing === 0 ? 'long' : 'double';
    if (this.present > 0 && this.bools) return 'boolean';
    return 'string';
  }

  /** The column's entry in a dataset profile: type, gaps, then min/max/mean (numbers) or the distinct count. */
  summary(): Record<string, unknown> {
    const type = this.type;
    const base = { type, missing: this.missing };
    if (type === 'long' || type === 'double') {
      const asType = (v: number) => (type === 'double' ? new PyFloat(v) : v);
      return { ...base, min: asType(this.min), max: asType(this.max), mean: new PyFloat(this.sum / this.present) };
    }
    if (type === 'boolean') return { ...base, distinct: Number(this.sawTrue) + Number(this.sawFalse) };
    return this.distinctCapped ? { ...base, distinct_at_least: MAX_DISTINCT } : { ...base, distinct: this.distinct.size };
  }
}

/**
 * Types every column of a table ({@link ColumnStats}).
 *
 * @example typedColumns({ columns: ['a'], rows: [['1'], ['2.5']] })[0].type; // 'double'
 */
export function typedColumns(table: Table): TypedColumn[] {
  return table.columns.map((name, c) => {
    const stats = new ColumnStats(name);
    for (const row of table.rows) stats.add(row[c]);
    return { name, type: stats.type, missing: stats.missing };
  });
}

/**
 * A typed column as MLflow's column spec: a column with gaps is `required: false`, as MLflow's schema
 * inference marks it.
 *
 * @example columnSpecOf({ name: 'temperature', type: 'double', missing: 1 }); // { name: 'temperature', type: 'double', required: false }
 */
export function columnSpecOf(column: Readonly<TypedColumn>): ColumnSpec {
  return column.missing > 0 ? { name: column.name, type: column.type, required: false } : { name: column.name, type: column.type };
}
