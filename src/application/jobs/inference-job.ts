import path from 'node:path';
import { JobInterruptedError } from '../../domain/errors';
import type { LoadedModel } from '../../domain/ports/model-loader';
import { CsvFile } from '../csv/csv-reader';
import type { CsvSource } from '../csv/csv-source';
import { CsvFileWriter } from '../csv/csv-writer';
import { assertHasModelColumns } from '../scoring/csv-model-input';
import { predictionCell } from '../scoring/prediction-cell';
import { scoreBatch } from '../scoring/score-batch';
import { withRun } from '../tracking/with-run';
import { datasetInput, datasetRecord } from '../training/dataset-identity';
import { type DatasetContent, DatasetProfiler } from '../training/dataset-profile';
import type { z } from 'zod';
import { Job, type JobContext } from './job';
import { defineJob } from './job-definition';
import { resolveModelUri } from './model-reference';
import { assertUsableOutput } from './output-path';
import { parseJobConfig } from './schemas/parse-job-config';
import { InferenceJobSchema, type InferenceJobConfig } from './schemas/inference';

/**
 * What an InferenceJob returns: its tracked run, the model that scored (a registered name and version
 * when the URI named one, the logged model id when known, the flavor that scored it), how many rows were
 * scored, and where the predictions were written.
 *
 * @example const { version, rows, outputPath }: InferenceResult = await runtime.run({ KIND: 'InferenceJob', modelUri: 'models:/churn@Champion', inputPath: 'in.csv', outputPath: 'out.csv' });
 */
export type InferenceResult = {
  runId: string;
  /** The URI as configured. */
  modelUri: string;
  /** The registered model, for `models:/name/…` URIs. */
  model?: string;
  /** The registered version (an alias resolved to its number). */
  version?: number;
  /** The logged model (`m-…`) when the URI, the version's source or the MLmodel names one. */
  modelId?: string;
  /** The MLmodel flavor whose loader scored the rows, e.g. `onnx`. */
  flavor: string;
  rows: number;
  /** Absolute path of the predictions CSV. */
  outputPath: string;
};

/**
 * Tuning for an InferenceJob built in code.
 *
 * @example new InferenceJob(context, config, { batchRows: 1024 });
 */
export interface InferenceJobDeps {
  /** Rows read, scored and written at a time (default 4096): memory grows with it, not with the file. */
  batchRows?: number;
}

/** Name of the column the predictions are written to. */
export const PREDICTION_COLUMN = 'prediction';

/**
 * Scores a CSV file with a model in a tracked run. Resolves `models:/name@alias`, `models:/name/3`,
 * `models:/m-<id>` or `runs:/<run id>/<path>`, loads the model with the job's model loader (any flavor
 * it scores), then streams the file in batches: each row's cells are converted by the model's signature,
 * scored, and written with a `prediction` column (the model's first output; an array as JSON in one
 * cell), so a file of any size is scored in bounded memory. Columns the model does not take (an id) are
 * kept in the output but not fed to the model. The output appears only when every row was scored. The
 * run records the input as a dataset (context `inference`, described in the same pass), the model URI
 * as a param and the row count as a metric.
 *
 * @example
 * const { rows, outputPath } = await runtime.run({
 *   KIND: 'InferenceJob', modelUri: 'models:/bike-demand@Champion', inputPath: 'in.csv', outputPath: 'out/predictions.csv',
 * });
 */
export class InferenceJob extends Job<InferenceResult> {
  static readonly KIND = 'InferenceJob';
  readonly kind = InferenceJob.KIND;

  private parsed: z.output<typeof InferenceJobSchema> | undefined;

  constructor(
    context: JobContext,
    private readonly input: InferenceJobConfig,
    private readonly deps: InferenceJobDeps = {},
  ) {
    super(context);
  }

  /** The config with defaults, parsed on first use in run(): a job built in code gets the same checks as one from a file. */
  private get config(): z.output<typeof InferenceJobSchema> {
    this.parsed ??= parseJobConfig(InferenceJobSchema, this.input);
    return this.parsed;
  }

  protected async run(): Promise<InferenceResult> {
    const { modelUri } = this.config;
    const source: CsvSource = { file: path.resolve(this.config.inputPath), keyPath: 'job.inputPath' };
    const outputPath = path.resolve(this.config.outputPath);
    await assertUsableOutput(source.file, outputPath);
    // open the input, resolve and load the model first: a wrong path, a missing alias or a file without
    // the model's columns leaves no FAILED run behind
    const csv = await CsvFile.open(source);
    let model: LoadedModel | undefined;
    try {
      const resolved = await resolveModelUri(modelUri, this.services);
      this.logger.info(`Loading ${modelUri} → ${resolved.loadUri}`, { modelUri, loadUri: resolved.loadUri });
      model = await this.services.models.load(resolved.loadUri);
      assertHasModelColumns(csv.columns, model.inputs, source);
      const loaded = model;
      const { tracker } = this.services;
      return await withRun(tracker, { runName: `infer-${resolved.label}`, tags: { 'mlops.job': this.kind, 'mlops.model_uri': modelUri } }, async (run) => {
        await tracker.logParams(run.runId, { model_uri: modelUri, ...(resolved.version !== undefined && { model_version: resolved.version }) });
        const { rows, content } = await this.scoreFile(csv, loaded, outputPath);
        await tracker.logInputs(run.runId, [datasetInput(datasetRecord(content, { source: source.file }), 'inference')]);
        await tracker.logMetric(run.runId, 'rows_scored', rows);

        this.logger.info(`Wrote ${rows} predictions to ${outputPath}`, { modelUri, rows, runId: run.runId });
        await this.services.alerter.notify('Inference Job Finished', `${rows} predictions from ${resolved.model !== undefined ? `${resolved.model} v${resolved.version}` : modelUri}`);
        const { model: name, version } = resolved;
        const modelId = resolved.modelId ?? loaded.modelId;
        return {
          runId: run.runId,
          modelUri,
          ...(name !== undefined && { model: name }),
          ...(version !== undefined && { version }),
          ...(modelId !== undefined && { modelId }),
          flavor: loaded.flavor,
          rows,
          outputPath,
        };
      }, { signal: this.signal });
    } finally {
      csv.close();
      await model?.release();
    }
  }

  /** One pass over the input: score each batch, write it with its predictions, and describe it for the dataset record. */
  private async scoreFile(csv: CsvFile, model: LoadedModel, outputPath: string): Promise<{ rows: number; content: DatasetContent }> {
    // an input that already has a prediction column gets it overwritten in place, not a second one
    const at = csv.columns.indexOf(PREDICTION_COLUMN);
    const out = await CsvFileWriter.create(outputPath, at < 0 ? [...csv.columns, PREDICTION_COLUMN] : csv.columns);
    const profiler = new DatasetProfiler(csv.columns);
    let rows = 0;
    try {
      for await (const batch of csv.batches(this.deps.batchRows)) {
        if (this.signal.aborted) throw new JobInterruptedError(String(this.signal.reason ?? 'abort'));
        const predictions = await scoreBatch(model, batch, csv.source);
        profiler.add(batch.rows);
        rows += batch.rows.length;
        const cells = predictions.map(predictionCell);
        await (at < 0 ? out.write(batch.rows, cells) : out.write(batch.rows.map((row, i) => row.map((cell, j) => (j === at ? cells[i]! : cell)))));
      }
      await out.commit();
    } catch (error) {
      await out.discard();
      throw error;
    }
    return { rows, content: profiler.content() };
  }
}

/** InferenceJob's definition: resolves through the registry, loads with the model loader, and tracks the scoring run. */
export const InferenceJobDefinition = defineJob({
  kind: 'InferenceJob',
  description: 'Scores a CSV file in a tracked run with a model: models:/name@alias or /3, models:/m-<id>, runs:/<id>/path.',
  schema: InferenceJobSchema,
  uses: ['tracker', 'registry', 'models'],
  create: (context, config) => new InferenceJob(context, config),
});
