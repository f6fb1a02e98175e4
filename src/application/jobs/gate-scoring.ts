import { ConfigError, ErrorCodes, JobInterruptedError } from '../../domain/errors';
import type { PredictionValue } from '../../domain/model/model-input';
import type { LoadedModel } from '../../domain/ports/model-loader';
import type { CsvFile } from '../csv/csv-reader';
import { csvProblem } from '../csv/csv-source';
import { assertHasModelColumns } from '../scoring/csv-model-input';
import { expectedTarget, type GateMetric, MetricAccumulator, predictionValue, targetValue } from '../scoring/gate-metrics';
import { scoreBatch } from '../scoring/score-batch';
import { type DatasetContent, DatasetProfiler } from '../training/dataset-profile';

/**
 * The models' scores on a holdout, in the order they were given, with how many rows and what the
 * evaluation dataset holds (for its MLflow record).
 *
 * @example const { scores: [candidate, holder], rows }: HoldoutScores = await scoreHoldout(csv, options);
 */
export interface HoldoutScores {
  scores: number[];
  rows: number;
  content: DatasetContent;
}

/**
 * Checks from a holdout's header that it has the target column: else a ConfigError naming
 * `job.gate.target`, the file and the columns it has, before any model is loaded.
 *
 * @example assertHasTarget(csv, 'demand');
 */
export function assertHasTarget(csv: CsvFile, target: string): void {
  if (!csv.columns.includes(target)) {
    const { file } = csv.source;
    throw new ConfigError(
      `job.gate.target: ${file} has no column "${target}" (it has: ${csv.columns.join(', ')}); set job.gate.target to the column of true values.`,
      ErrorCodes.CONFIG_INVALID,
      { details: { keyPath: 'job.gate.target', file, target } },
    );
  }
}

/**
 * Scores every model on the holdout in one streamed pass (each batch read once, scored by each model),
 * once the header shows each model its columns (else the model input rule's MODEL_INPUT_INVALID):
 * each model's predictions against the target column by `metric`, in constant memory. A target cell the
 * metric cannot use names its line; a prediction it cannot use (text for rmse) is a ConfigError naming
 * `job.gate.metric`; a holdout without rows is refused.
 *
 * @example const { scores } = await scoreHoldout(csv, { target: 'demand', metric: 'rmse', models: [candidate, holder] });
 */
export async function scoreHoldout(csv: CsvFile, options: { target: string; metric: GateMetric; models: readonly LoadedModel[]; signal?: AbortSignal }): Promise<HoldoutScores> {
  const { target, metric, models, signal } = options;
  for (const model of models) assertHasModelColumns(csv.columns, model.inputs, csv.source);
  const at = csv.columns.indexOf(target);
  const accumulators = models.map(() => new MetricAccumulator(metric));
  const profiler = new DatasetProfiler(csv.columns);
  let rows = 0;
  for await (const batch of csv.batches()) {
    if (signal?.aborted) throw new JobInterruptedError(String(signal.reason ?? 'abort'));
    const actual = batch.rows.map((row, r) => {
      const value = targetValue(metric, row[at]!);
      if (value === undefined) {
        throw csvProblem(csv.source, `column "${target}" (job.gate.target) must hold ${expectedTarget(metric)} for ${metric}, got ${JSON.stringify(row[at]!.trim().slice(0, 20))}`, batch.lines[r]);
      }
      return value;
    });
    for (const [m, model] of models.entries()) {
      const predictions = await scoreBatch(model, batch, csv.source);
      for (let r = 0; r < predictions.length; r++) {
        const predicted = predictionValue(metric, predictions[r]!);
        if (predicted === undefined) throw unusablePrediction(metric, model, predictions[r]!);
        accumulators[m]!.add(actual[r]!, predicted);
      }
    }
    profiler.add(batch.rows);
    rows += batch.rows.length;
  }
  if (rows === 0) throw csvProblem(csv.source, 'has a header but no rows; a gate needs rows to score the models on');
  return { scores: accumulators.map((a) => a.value()), rows, content: profiler.content() };
}

function unusablePrediction(metric: GateMetric, model: LoadedModel, value: PredictionValue): ConfigError {
  const shown = JSON.stringify(value);
  return new ConfigError(
    `job.gate.metric: ${metric} cannot use the predictions of ${model.uri} (its output "${model.outputNames[0] ?? ''}" gave ${shown.length <= 30 ? shown : `${shown.slice(0, 30)}…`}); choose a metric that fits the model, e.g. ${metric === 'rmse' || metric === 'mae' || metric === 'r2' ? 'accuracy for a classifier' : 'rmse for a regression'}.`,
    ErrorCodes.CONFIG_INVALID,
    { details: { keyPath: 'job.gate.metric', metric, modelUri: model.uri } },
  );
}
