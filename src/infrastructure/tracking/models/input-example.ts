import { ValidationError } from '../../../domain/errors';
import { PyFloat, pythonJson } from '../../../application/training/python-json';

/**
 * The file MLflow saves a model's input example in, relative to the model's root.
 *
 * @example await fs.readFile(join(modelDir, INPUT_EXAMPLE_FILE), 'utf8');
 */
export const INPUT_EXAMPLE_FILE = 'input_example.json';
/**
 * The same example as a scoring-server request body (`{"dataframe_split": …}`), MLflow ≥ 2.16.
 *
 * @example await fs.readFile(join(modelDir, SERVING_INPUT_EXAMPLE_FILE), 'utf8');
 */
export const SERVING_INPUT_EXAMPLE_FILE = 'serving_input_example.json';

/**
 * The MLmodel's `saved_input_example_info` for a table example, as MLflow's `_Example` writes it for a
 * pandas DataFrame. `Model.load_input_example()` reads the file back into a DataFrame with these.
 *
 * @example const info: SavedInputExampleInfo = inputExampleFiles([{ hour: 8 }]).info;
 */
export interface SavedInputExampleInfo {
  artifact_path: typeof INPUT_EXAMPLE_FILE;
  type: 'dataframe';
  pandas_orient: 'split';
  serving_input_path: typeof SERVING_INPUT_EXAMPLE_FILE;
}

/**
 * What to write next to a model for its input example: the files by name, and the info for the MLmodel.
 *
 * @example const { files, info } = inputExampleFiles(rows); for (const [name, text] of Object.entries(files)) await fs.writeFile(join(dir, name), text);
 */
export interface InputExampleFiles {
  files: Record<typeof INPUT_EXAMPLE_FILE | typeof SERVING_INPUT_EXAMPLE_FILE, string>;
  info: SavedInputExampleInfo;
}

type Cell = string | number | boolean | null;

/**
 * The input example files MLflow writes for `input_example=pandas.DataFrame(rows)`: `input_example.json`
 * in pandas split orient without the index (`{"columns": [...], "data": [[...]]}`, `json.dumps` spacing)
 * and `serving_input_example.json` (`{"dataframe_split": …}` with `indent=2`). Columns are the keys in the
 * order they first appear; a missing cell is `null` (pandas' NaN, which MLflow writes as None). A column
 * with any fractional number, or a number and a gap, is a float column in pandas, so its whole numbers
 * are written `8.0`, as MLflow would.
 *
 * @example inputExampleFiles([{ hour: 8, temp: 21.5 }]).files['input_example.json']; // '{"columns": ["hour", "temp"], "data": [[8, 21.5]]}'
 */
export function inputExampleFiles(rows: readonly Record<string, unknown>[]): InputExampleFiles {
  const split = splitOrient(rows);
  return {
    files: {
      [INPUT_EXAMPLE_FILE]: pythonJson(split),
      [SERVING_INPUT_EXAMPLE_FILE]: pythonJson({ dataframe_split: split }, 2),
    },
    info: { artifact_path: INPUT_EXAMPLE_FILE, type: 'dataframe', pandas_orient: 'split', serving_input_path: SERVING_INPUT_EXAMPLE_FILE },
  };
}

/**
 * Just the `input_example.json` text of {@link inputExampleFiles}.
 *
 * @example inputExampleJson([{ a: 1 }, { a: 2 }]); // '{"columns": ["a"], "data": [[1], [2]]}'
 */
export function inputExampleJson(rows: readonly Record<string, unknown>[]): string {
  return inputExampleFiles(rows).files[INPUT_EXAMPLE_FILE];
}

function splitOrient(rows: readonly Record<string, unknown>[]): { columns: string[]; data: unknown[][] } {
  if (rows.length === 0) {
    throw new ValidationError('inputExample: give at least one row (an object of column values), e.g. [{ "hour": 8 }].');
  }
  const columns: string[] = [];
  rows.forEach((row, r) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      throw new ValidationError(`inputExample[${r}]: expected an object of column values, got ${Array.isArray(row) ? 'an array' : typeof row}.`, undefined, { details: { row: r } });
    }
    for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  });
  const cells = rows.map((row, r) => columns.map((column) => cell(row[column], r, column)));
  const floatColumn = columns.map((_, c) => isFloatColumn(cells.map((row) => row[c]!)));
  return {
    columns,
    data: cells.map((row) => row.map((value, c) => (floatColumn[c] && typeof value === 'number' ? new PyFloat(value) : value))),
  };
}

function cell(value: unknown, row: number, column: string): Cell {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return Number.isNaN(value) ? null : value;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  throw new ValidationError(
    `inputExample[${row}].${column}: ${typeof value} values cannot go in a table example; use numbers, strings or booleans.`,
    undefined,
    { details: { row, column } },
  );
}

/** pandas makes a column float64 when it holds only numbers (and gaps) and one is fractional or missing. */
function isFloatColumn(values: readonly Cell[]): boolean {
  const present = values.filter((v) => v !== null);
  if (present.length === 0 || !present.every((v) => typeof v === 'number')) return false;
  return present.length < values.length || present.some((v) => !Number.isInteger(v));
}
