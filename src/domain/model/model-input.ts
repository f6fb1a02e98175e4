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
  const raw = Array.isArray(input) ? rowsToColumns(input as readonly Readonly<Record<string, unknown>>[], named) : columnsOf(input as Readonly<Record<string, readonly unknown[]>>);
  const known = new Set(named.map((c) => c.name));
  const extra = Object.keys(raw.columns).filter((name) => !known.has(name));
  if (extra.length > 0) {
    fail(`column "${extra[0]}" is not an input of the model (it takes: ${[...known].join(', ')}); remove it`, { column: extra[0] });
  }
  const out: Record<string, ModelValue[]> = {};
  for (const spec of named) {
    // own keys only: a column named like an Object.prototype member (`toString`) is not "sent" by inheritance
    const values = Object.hasOwn(raw.columns, spec.name) ? raw.columns[spec.name] : undefined;
    if (values === undefined) {
      if (spec.required === false) {
        out[spec.name] = new Array<ModelValue>(raw.rows).fill(null);
        continue;
      }
      fail(`column "${spec.name}" is missing (the model takes: ${[...known].join(', ')})`, { column: spec.name });
    }
    out[spec.name] = values.map((value, row) => checkedCell(value, spec, row));
  }
  return { rows: raw.rows, columns: out };
}

function rowsToColumns(rows: readonly Readonly<Record<string, unknown>>[], named: readonly (ColumnSpec & { name: string })[]): { rows: number; columns: Record<string, unknown[]> } {
  // no prototype: a request's `__proto__` or `constructor` key is a column name like any other, never a
  // path to Object.prototype (which `columns[name] ??= []` then `column[r] = value` would write to)
  const columns: Record<string, unknown[]> = Object.create(null) as Record<string, unknown[]>;
  for (const spec of named) columns[spec.name] = [];
  rows.forEach((row, r) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) fail(`row ${r} is ${Array.isArray(row) ? 'an array' : String(row === null ? 'null' : typeof row)}; send an object of column values`, { row: r });
    for (const [name, value] of Object.entries(row)) {
      const column = (columns[name] ??= []);
      column[r] = value;
    }
  });
  // a column missing from every row is absent; one missing from some rows has holes, reported per cell below
  for (const [name, values] of Object.entries(columns)) {
    if (values.length === 0 && rows.length > 0) delete columns[name];
    else values.length = rows.length;
  }
  return { rows: rows.length, columns };
}

function columnsOf(input: Readonly<Record<string, readonly unknown[]>>): { rows: number; columns: Record<string, readonly unknown[]> } {
  if (input === null || typeof input !== 'object') fail(`expected rows (an array of objects) or columns (an object of arrays), got ${input === null ? 'null' : typeof input}`, {});
  let rows: number | undefined;
  let first = '';
  for (const [name, values] of Object.entries(input)) {
    if (!Array.isArray(values)) fail(`column "${name}" is ${typeof values}; send an array of values`, { column: name });
    if (rows === undefined) {
      rows = values.length;
      first = name;
    } else if (values.length !== rows) {
      fail(`column "${name}" has ${values.length} values but "${first}" has ${rows}; send columns of one length`, { column: name });
    }
  }
  return { rows: rows ?? 0, columns: input };
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
