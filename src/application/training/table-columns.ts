import type { ColumnType } from '../../domain/model/logged-model';

/**
 * A table as mlops-kit reads it: a header and rows of cells, text from a CSV file (`parseCsv`'s
 * `CsvTable` fits) or numbers and strings built in code. An empty or whitespace-only text cell is missing.
 *
 * @example const table: Table = { columns: ['hour', 'demand'], rows: [['8', '120'], [9, 80]] };
 */
export interface Table {
  columns: readonly string[];
  rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null | undefined>>;
}

/**
 * One column read the way pandas' `read_csv` types it, and what MLflow's schema inference then says:
 * whole numbers only → `long`; numbers with a fraction or an exponent, or whole numbers with gaps
 * (pandas turns them into float64 NaN) → `double`; true/false → `boolean`; anything else → `string`.
 * `missing` counts the gaps; MLflow marks a column with gaps `required: false`.
 *
 * @example readColumn(table, 0).type; // 'long'
 */
export interface TypedColumn {
  name: string;
  type: Extract<ColumnType, 'long' | 'double' | 'boolean' | 'string'>;
  /** The cells as values: numbers for long/double, booleans, strings; null for a gap. */
  values: Array<number | boolean | string | null>;
  missing: number;
}

// what pandas' C parser accepts as a number (no hex, no `Infinity`, no `1_000`)
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const TRUE = /^(true|True|TRUE)$/;
const FALSE = /^(false|False|FALSE)$/;

/**
 * Types every column of a table ({@link TypedColumn}).
 *
 * @example typedColumns({ columns: ['a'], rows: [['1'], ['2.5']] })[0].type; // 'double'
 */
export function typedColumns(table: Table): TypedColumn[] {
  return table.columns.map((name, c) => readColumn(name, table.rows.map((row) => row[c])));
}

/** One pass over the cells: a million-cell table is typed in a few hundred ms, not seconds. */
function readColumn(name: string, cells: ReadonlyArray<string | number | boolean | null | undefined>): TypedColumn {
  const present = cells.map(normalise);
  let missing = 0;
  let numbers = true;
  let whole = true;
  let bools = true;
  const parsed: Array<number | null> = new Array<number | null>(present.length);
  for (let i = 0; i < present.length; i++) {
    const v = present[i]!;
    if (v === null) {
      missing++;
      parsed[i] = null;
      continue;
    }
    if (typeof v === 'number') {
      bools = false;
      if (numbers) {
        parsed[i] = v;
        if (whole && !Number.isInteger(v)) whole = false;
      }
    } else if (typeof v === 'boolean') {
      numbers = false;
    } else {
      if (numbers) {
        if (NUMBER.test(v)) {
          parsed[i] = Number(v);
          if (whole && !INTEGER.test(v)) whole = false;
        } else numbers = false;
      }
      if (bools && !TRUE.test(v) && !FALSE.test(v)) bools = false;
    }
  }
  const anyValue = missing < present.length;
  if (anyValue && numbers) return { name, type: whole && missing === 0 ? 'long' : 'double', values: parsed, missing };
  if (anyValue && bools) {
    return { name, type: 'boolean', values: present.map((v) => (v === null ? null : v === true || (typeof v === 'string' && TRUE.test(v)))), missing };
  }
  return { name, type: 'string', values: present.map((v) => (v === null ? null : String(v))), missing };
}

function normalise(cell: string | number | boolean | null | undefined): string | number | boolean | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number') return Number.isNaN(cell) ? null : cell;
  if (typeof cell === 'boolean') return cell;
  const text = cell.trim();
  return text === '' ? null : text;
}
