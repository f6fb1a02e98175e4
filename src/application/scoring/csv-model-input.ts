import { ErrorCodes, ValidationError } from '../../domain/errors';
import type { ColumnSpec, ColumnType } from '../../domain/model/logged-model';
import { checkModelInput } from '../../domain/model/model-input';
import type { CsvBatch } from '../csv/csv-reader';
import { type CsvSource, csvWhere } from '../csv/csv-source';
import { readCell } from '../training/table-columns';

const NUMERIC: ReadonlySet<ColumnType> = new Set(['integer', 'long', 'float', 'double']);

/**
 * Checks, from the header alone, that a CSV file has every column a model requires, with the one rule
 * for model input (`checkModelInput`), so a file missing a feature fails before any row is read, and a
 * file without rows fails too. Columns the model does not take are fine: they are not fed to it.
 * Throws the rule's ValidationError (MODEL_INPUT_INVALID), naming the key and the file.
 *
 * @example assertHasModelColumns(csv.columns, model.inputs, { file: '/data/in.csv', keyPath: 'job.inputPath' });
 */
export function assertHasModelColumns(columns: readonly string[], inputs: readonly ColumnSpec[], source: CsvSource): void {
  const present = new Set(columns);
  const empty = Object.fromEntries(inputs.flatMap((spec) => (spec.name !== undefined && present.has(spec.name) ? [[spec.name, []]] : [])));
  try {
    checkModelInput(empty, inputs);
  } catch (error) {
    throw inCsv(error, source, undefined, `; the file has: ${columns.join(', ')}; add the column to the header`);
  }
}

/**
 * The model's columns of a batch, each cell converted by the column's type in the model's signature:
 * numbers for numeric types and booleans for `boolean` as `readCell` reads them, the text (trimmed)
 * otherwise, `null` for an empty cell. A cell that does not convert (`abc` in a numeric column) stays
 * text, so `predict` refuses it with the one rule's message. Columns the model does not take are left out.
 *
 * @example modelColumns(batch, [{ name: 'hour', type: 'long' }]); // { hour: [8, 9] }
 */
export function modelColumns(batch: CsvBatch, inputs: readonly ColumnSpec[]): Record<string, unknown[]> {
  const columns: Record<string, unknown[]> = {};
  for (const spec of inputs) {
    const at = spec.name === undefined ? -1 : batch.columns.indexOf(spec.name);
    if (at < 0) continue;
    const convert = converter(spec.type);
    const values = new Array<unknown>(batch.rows.length);
    for (let r = 0; r < batch.rows.length; r++) values[r] = convert(batch.rows[r]![at]!);
    columns[spec.name!] = values;
  }
  return columns;
}

function converter(type: ColumnType): (text: string) => unknown {
  if (NUMERIC.has(type)) return (text) => keepText(text, readCell(text), 'number');
  if (type === 'boolean') return (text) => keepText(text, readCell(text), 'boolean');
  return (text) => {
    const trimmed = text.trim();
    return trimmed === '' ? null : trimmed;
  };
}

/** The value when it has the wanted type, else the trimmed text (for the model's check to name). */
function keepText(text: string, value: ReturnType<typeof readCell>, wanted: 'number' | 'boolean'): unknown {
  return value === null || typeof value === wanted ? value : text.trim();
}

/**
 * A model-input error restated for a CSV file: the rule's ValidationError (MODEL_INPUT_INVALID) names a
 * row of the batch; this one names the key, the file and the line the row starts on. Other errors pass
 * through unchanged.
 *
 * @example try { await model.predict(modelColumns(batch, model.inputs)); } catch (e) { throw inCsv(e, source, batch); }
 */
export function inCsv(error: unknown, source: CsvSource, batch?: CsvBatch, suffix = ''): unknown {
  if (!(error instanceof ValidationError) || error.code !== ErrorCodes.MODEL_INPUT_INVALID) return error;
  const row = typeof error.details.row === 'number' ? error.details.row : undefined;
  const line = row === undefined ? undefined : batch?.lines[row];
  // "Model input: column "hour" row 3: expected …" → "column "hour": expected …" (the line is named up front)
  const what = error.message.replace(/^Model input: /, '').replace(/ row \d+:/, ':').replace(/\.$/, '');
  const { row: _row, ...details } = error.details;
  return new ValidationError(`${csvWhere(source, line)}: model input ${what}${suffix}.`, ErrorCodes.MODEL_INPUT_INVALID, {
    details: { ...details, file: source.file, keyPath: source.keyPath, ...(line !== undefined && { line }) },
    cause: error,
  });
}
