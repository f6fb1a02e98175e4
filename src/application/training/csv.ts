import { ValidationError } from '../../domain/errors';
import type { Dataset } from './dataset';

/** A parsed CSV file: the header and the data rows as text, with the 1-based line of each row. */
export interface CsvTable {
  columns: string[];
  rows: string[][];
  lines: number[];
}

/**
 * Parses a small CSV text (RFC 4180 quoting, one record per line, blank lines ignored). `source` names
 * the file in error messages. Enough for the numeric tables the demo jobs read; not a general CSV library.
 *
 * @example
 * parseCsv('a,b\n1,2\n', 'data.csv'); // { columns: ['a', 'b'], rows: [['1', '2']], lines: [2] }
 */
export function parseCsv(text: string, source: string): CsvTable {
  const records = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let columns: string[] | undefined;
  const rows: string[][] = [];
  const lines: number[] = [];
  records.forEach((record, index) => {
    if (record.trim() === '') return;
    const fields = splitRecord(record, source, index + 1);
    if (!columns) {
      columns = fields.map((f) => f.trim());
      return;
    }
    if (fields.length !== columns.length) {
      throw invalid(`${source}:${index + 1}: expected ${columns.length} fields like the header, got ${fields.length}`, source);
    }
    rows.push(fields);
    lines.push(index + 1);
  });
  if (!columns) throw invalid(`${source}: the file is empty; expected a header line and data rows`, source);
  return { columns, rows, lines };
}

/** Reads the named columns as numbers; throws naming the file, line and column of the first bad cell. */
export function numericColumns(table: CsvTable, names: readonly string[], source: string): number[][] {
  const indexes = names.map((name) => {
    const at = table.columns.indexOf(name);
    if (at < 0) {
      throw invalid(`${source}: missing column "${name}" (columns: ${table.columns.join(', ')}); add it to the header`, source);
    }
    return at;
  });
  return table.rows.map((row, r) =>
    indexes.map((at, c) => {
      const cell = row[at]!.trim();
      const value = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(value)) {
        throw invalid(`${source}:${table.lines[r]}: column "${names[c]}" is not a number: ${JSON.stringify(cell)}`, source);
      }
      return value;
    }),
  );
}

/**
 * A training dataset from CSV text: every column but `target` is a feature. Needs at least two rows.
 *
 * @example datasetFromCsv('hour,demand\n8,120\n9,80\n', 'bikes.csv').featureNames; // ['hour']
 */
export function datasetFromCsv(text: string, source: string, target = 'demand'): Dataset {
  const table = parseCsv(text, source);
  if (!table.columns.includes(target)) {
    throw invalid(`${source}: no target column "${target}" (columns: ${table.columns.join(', ')}); name the column to predict "${target}"`, source);
  }
  const featureNames = table.columns.filter((c) => c !== target);
  if (featureNames.length === 0) throw invalid(`${source}: only the target column "${target}" is present; add feature columns`, source);
  if (table.rows.length < 2) throw invalid(`${source}: needs at least 2 data rows, got ${table.rows.length}`, source);
  const features = numericColumns(table, featureNames, source);
  const targets = numericColumns(table, [target], source).map((row) => row[0]!);
  return { featureNames, target, features, targets };
}

/** Writes a CSV text with a header; fields containing commas, quotes or line breaks are quoted. */
export function formatCsv(columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const line = (fields: ReadonlyArray<string | number>) => fields.map((f) => quote(String(f))).join(',');
  return [line(columns), ...rows.map(line)].join('\n') + '\n';
}

function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

function splitRecord(record: string, source: string, line: number): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const ch = record[i]!;
    if (quoted) {
      if (ch === '"' && record[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  if (quoted) throw invalid(`${source}:${line}: unterminated quoted field`, source);
  fields.push(field);
  return fields;
}

function invalid(message: string, source: string): ValidationError {
  return new ValidationError(`${message}.`, undefined, { details: { file: source } });
}
