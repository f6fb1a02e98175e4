import type { PredictionValue } from '../../domain/model/model-input';

/**
 * A prediction as one CSV cell: a number as JavaScript prints it (the shortest text that reads back as
 * the same double), a string or boolean as is, an array (class probabilities) as JSON in one cell.
 *
 * @example [predictionCell(301.25), predictionCell('yes'), predictionCell([0.1, 0.9])]; // ['301.25', 'yes', '[0.1,0.9]']
 */
export function predictionCell(value: PredictionValue): string {
  return Array.isArray(value) ? JSON.stringify(value) : String(value);
}
