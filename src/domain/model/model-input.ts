import { ErrorCodes, ValidationError } from '../errors';
import type { ColumnSpec, ColumnType } from './logged-model';

/**
 * One cell a model takes: a number, a string or a boolean (`null` only in a column the signature marks
 * optional).
 *
 * @example const cell: ModelValue = 21.5;
 */
export type ModelValue = number | string | boolean | null;

/**
 * What a model is asked to score: rows (one object per row, keyed by column) or columns (one array per
 * column, all of one length), as a request body carries them.
 *
 * @example
 * const rows: ModelInput = [{ hour: 8, temperature: 21.5 }, { hour: 9, temperature: 22 }];
 * const columns: ModelInput = { hour: [8, 9], temperature: [21.5, 22] };
 */
export type ModelInput = readonly Readonly<Record<string, unknown>>[] | Readonly<Record<string, readonly unknown[]>>;

/**
 * Input checked against a model's columns: every column the model takes, in its order, each `rows` long.
 * What a flavor loader scores.
 *
 * @example const batch: ColumnBatch = { rows: 2, columns: { hour: [8, 9], temperature: [21.5, 22] } };
 */
export interface ColumnBatch {
  readonly rows: number;
  readonly columns: Readonly<Record<string, readonly ModelValue[]>>;
}

/**
 * One prediction: a number (a regression, a class score), a string or boolean label, or an array for an
 * output with more than one value per row (class probabilities).
 *
 * @example const probabilities: PredictionValue = [0.1, 0.9];
 */
export type PredictionValue = number | string | boolean | PredictionValue[];

/**
 * What a model returns: one array per output, by output name, one entry per input row.
 *
 * @example const outputs: ModelOutputs = { variable: [301.2, 288.9] };
 */
export type ModelOutputs = Record<string, PredictionValue[]>;

/** The signature types whose cells are numbers; integer types take whole numbers only. */
const NUMERIC: ReadonlySet<ColumnType> = new Set(['integer', 'long', 'float', 'double']);
const WHOLE: ReadonlySet<ColumnType> = new Set(['integer', 'long']);

/**
 * Checks input against the columns a model takes and returns it as columns in the model's order. The one
 * rule for every way a model is scored (a predictor's request, InferenceJob's CSV, the promotion gate):
 * a missing column, a column the model does not take, a cell of the wrong type (a string or NaN/Infinity
 * in a numeric column, a fraction in an integer column), a `null` in a required column, or columns of
 * different lengths is a ValidationError (MODEL_INPUT_INVALID) naming the column and the row: a 400 in a
 * backend, never a 500. An optional column may be left out; its cells are then `null`.
 *
 * @example
 * const batch = checkModelInput([{ hour: 8, temperature: 21.5 }], [{ name: 'hour', type: 'long' }, { name: 'temperature', type: 'double' }]);
 * batch.columns.hour; // [8]
 */
export function checkModelInput(input: ModelInput, columns: readonly ColumnSpec[]): ColumnBatch {
  const named = columns.filter((c): c is ColumnSpec & { name: string } => c.name !== undefined);
  // the hot path of every prediction: plain loops, one pass per column, no per-cell closures
  const raw = Array.isArray(input) ? rowsToColumns(input as readonly Readonly<Record<string, unknown>>[], named) : columnsOf(input as Readonly<Record<string, readonly unknown[]>>, named);
  const out: Record<string, ModelValue[]> = {};
  named.forEach((spec, j) => {
    const values = raw.columns[j];
    if (values === undefined) {
      if (spec.required !== false) fail(`column "${spec.name}" is missing (the model takes: ${named.map((c) => c.name).join(', ')})`, { column: spec.name });
      out[spec.name] = new Array<ModelValue>(raw.rows).fill(null);
    } else {
      out[spec.name] = checkedColumn(values, spec);
    }
  });
  return { rows: raw.rows, columns: out };
}

/** The model's columns (by position in `named`) from rows; undefined for a column no row has. */
function rowsToColumns(rows: readonly Readonly<Record<string, unknown>>[], named: readonly (ColumnSpec & { name: string })[]): { rows: number; columns: (unknown[] | undefined)[] } {
  const n = rows.length;
  const names = named.map((c) => c.name);
  const columns = names.map(() => new Array<unknown>(n));
  const present = names.map(() => 0);
  // rows of a request share their keys in order: the key → column mapping is worked out once per key
  // order and values are read with Object.values (a property read by a varying name costs ~10× more).
  // Own keys only, so `__proto__` or `constructor` are column names like any other, never inherited.
  let shape: string[] = [];
  let slots: number[] = [];
  for (let r = 0; r < n; r++) {
    const row = rows[r];
    if (row === null || typeof row !== 'object' || Array.isArray(row)) fail(`row ${r} is ${Array.isArray(row) ? 'an array' : row === null ? 'null' : typeof row}; send an object of column values`, { row: r });
    const keys = Object.keys(row);
    if (!sameKeys(keys, shape)) {
      shape = keys;
      slots = keys.map((key) => names.indexOf(key));
      const extra = slots.indexOf(-1);
      if (extra >= 0) fail(`column "${keys[extra]}" is not an input of the model (it takes: ${names.join(', ')}); remove it`, { column: keys[extra], row: r });
    }
    const values = Object.values(row);
    for (let p = 0; p < values.length; p++) {
      const j = slots[p]!;
      columns[j]![r] = values[p];
      present[j]! += 1;
    }
  }
  // a column missing from every row is absent; one missing from some rows has holes, reported per cell
  return { rows: n, columns: columns.map((values, j) => (present[j] === 0 && n > 0 ? undefined : values)) };
}

function sameKeys(keys: readonly string[], shape: readonly string[]): boolean {
  if (keys.length !== shape.length) return false;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== shape[i]) return false;
  return true;
}

function columnsOf(input: Readonly<Record<string, readonly unknown[]>>, named: readonly (ColumnSpec & { name: string })[]): { rows: number; columns: (readonly unknown[] | undefined)[] } {
  if (input === null || typeof input !== 'object') fail(`expected rows (an array of objects) or columns (an object of arrays), got ${input === null ? 'null' : typeof input}`, {});
  let rows: number | undefined;
  let first = '';
  for (const name of Object.keys(input)) {
    const values = input[name];
    if (!named.some((c) => c.name === name)) fail(`column "${name}" is not an input of the model (it takes: ${named.map((c) => c.name).join(', ')}); remove it`, { column: name });
    if (!Array.isArray(values)) fail(`column "${name}" is ${typeof values}; send an array of values`, { column: name });
    if (rows === undefined) {
      rows = values.length;
      first = name;
    } else if (values.length !== rows) {
      fail(`column "${name}" has ${values.length} values but "${first}" has ${rows}; send columns of one length`, { column: name });
    }
  }
  return { rows: rows ?? 0, columns: named.map((c) => (Object.hasOwn(input, c.name) ? input[c.name] : undefined)) };
}

/** A column's cells checked against its type, in one loop; the first bad cell is the error. All good: the column itself, not a copy. */
function checkedColumn(values: readonly unknown[], spec: ColumnSpec & { name: string }): ModelValue[] {
  const n = values.length;
  const numeric = NUMERIC.has(spec.type);
  const whole = WHOLE.has(spec.type);
  let row = 0;
  // x - x === 0 holds for finite numbers only (NaN and ±Infinity give NaN)
  if (numeric) for (; row < n; row++) {
    const value = values[row];
    if (typeof value !== 'number' || value - value !== 0 || (whole && !Number.isInteger(value))) break;
  }
  if (row === n) return values as ModelValue[];
  const out = values.slice(0, row) as ModelValue[];
  for (; row < n; row++) out.push(checkedCell(values[row], spec, row));
  return out;
}

function checkedCell(value: unknown, spec: ColumnSpec & { name: string }, row: number): ModelValue {
  if (value === undefined || value === null) {
    if (spec.required === false) return null;
    fail(`column "${spec.name}" row ${row}: missing value (${spec.type} required)`, { column: spec.name, row });
  }
  const ok = NUMERIC.has(spec.type)
    ? typeof value === 'number' && Number.isFinite(value) && (!WHOLE.has(spec.type) || Number.isInteger(value))
    : spec.type === 'boolean'
      ? typeof value === 'boolean'
      : spec.type === 'string'
        ? typeof value === 'string'
        : typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean';
  if (!ok) {
    const wanted = NUMERIC.has(spec.type) ? `a finite ${WHOLE.has(spec.type) ? 'whole ' : ''}number (${spec.type})` : `a ${spec.type}`;
    fail(`column "${spec.name}" row ${row}: expected ${wanted}, got ${describe(value)}`, { column: spec.name, row });
  }
  return value as ModelValue;
}

/** A short, safe description of a bad cell: its type and, for short scalars, the value itself. */
function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value.length <= 20 ? JSON.stringify(value) : `a string of ${value.length} characters`;
  if (typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'an array' : typeof value;
}

function fail(why: string, details: Record<string, unknown>): never {
  throw new ValidationError(`Model input: ${why}.`, ErrorCodes.MODEL_INPUT_INVALID, { details });
}
