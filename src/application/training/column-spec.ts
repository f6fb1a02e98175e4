import type { ColumnSpec } from '../../domain/model/logged-model';
import { pythonJson } from './python-json';

/**
 * The JSON MLflow writes for a list of columns (`Schema.to_json()`: each `ColSpec.to_dict()` with keys in
 * its order `type`, `name`, `required`), as a string. Signatures in the MLmodel file and dataset schemas
 * (`{"mlflow_colspec": …}`) both hold it.
 *
 * @example colSpecJson([{ name: 'hour', type: 'long' }]); // '[{"type": "long", "name": "hour", "required": true}]'
 */
export function colSpecJson(columns: readonly ColumnSpec[]): string {
  return pythonJson(columns.map(colSpecDict));
}

/**
 * One column as MLflow's `ColSpec.to_dict()`: `name` only when the column has one, `required` always
 * (MLflow's default is true).
 *
 * @example colSpecDict({ type: 'double' }); // { type: 'double', required: true }
 */
export function colSpecDict(column: ColumnSpec): { type: string; name?: string; required: boolean } {
  return column.name === undefined
    ? { type: column.type, required: column.required ?? true }
    : { type: column.type, name: column.name, required: column.required ?? true };
}
