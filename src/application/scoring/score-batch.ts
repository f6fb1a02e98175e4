import { ErrorCodes, ModelLoadError } from '../../domain/errors';
import type { PredictionValue } from '../../domain/model/model-input';
import type { LoadedModel } from '../../domain/ports/model-loader';
import type { CsvBatch } from '../csv/csv-reader';
import type { CsvSource } from '../csv/csv-source';
import { inCsv, modelColumns } from './csv-model-input';

/**
 * Scores one batch of CSV rows with a model: its columns converted by the model's signature
 * (`modelColumns`), checked and scored by `predict`, and the model's first output returned, one
 * prediction per row. A bad cell is the ValidationError (MODEL_INPUT_INVALID) naming the file and line.
 *
 * @example const predictions = await scoreBatch(model, batch, { file: '/data/in.csv', keyPath: 'job.inputPath' });
 */
export async function scoreBatch(model: LoadedModel, batch: CsvBatch, source: CsvSource): Promise<PredictionValue[]> {
  let outputs;
  try {
    outputs = await model.predict(modelColumns(batch, model.inputs));
  } catch (error) {
    throw inCsv(error, source, batch);
  }
  const name = model.outputNames[0];
  const predictions = name === undefined ? undefined : outputs[name];
  if (predictions === undefined || predictions.length !== batch.rows.length) {
    throw new ModelLoadError(
      `${model.uri}: the model returned ${predictions === undefined ? `no output "${name ?? '(unnamed)'}"` : `${predictions.length} predictions for ${batch.rows.length} rows`}; its first output must have one value per row.`,
      ErrorCodes.MODEL_LOAD_FAILED,
      { details: { modelUri: model.uri, output: name } },
    );
  }
  return predictions;
}
