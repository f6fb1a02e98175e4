import { mkdir, mkdtemp, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ErrorCodes, NotFoundError, ValidationError } from '../../domain/errors';
import type { ModelReference, ModelVersion } from '../../domain/model/model-version';
import { loggedModelIdOf, parseModelUri } from '../../domain/model/naming-rules';
import { formatCsv, numericColumns, parseCsv } from '../training/csv';
import { csvDataset } from '../training/dataset-input';
import { datasetInput } from '../training/dataset-identity';
import { type LinearModel, MODEL_FILE, parseModel, predict } from '../training/linear-model';
import { withRun } from '../tracking/with-run';
import type { z } from 'zod';
import { Job, type JobContext } from './job';
import { defineJob } from './job-definition';
import { parseJobConfig } from './schemas/parse-job-config';
import { InferenceJobSchema, type InferenceJobConfig } from './schemas/inference';
import { readText } from './training-data';

/**
 * What an InferenceJob returns: its tracked run, the model that scored (a registered name and version
 * when the URI named one, the logged model id when known), how many rows were scored, and where the
 * predictions were written.
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
  /** The logged model (`m-…`) when the URI or the version's source names one. */
  modelId?: string;
  rows: number;
  /** Absolute path of the predictions CSV. */
  outputPath: string;
};

export interface InferenceJobDeps {
  /** Where the model files are downloaded (default: the OS temp dir). */
  tmpDir?: string;
}

/** Name of the column the predictions are written to. */
export const PREDICTION_COLUMN = 'prediction';

/** A model URI resolved to what loads it. */
interface ResolvedModel {
  loadUri: string;
  label: string;
  model?: string;
  version?: number;
  modelId?: string;
}

/**
 * Scores a CSV file with a model in a tracked run: resolves `models:/name@alias`, `models:/name/3`,
 * `models:/m-<id>` or `runs:/<run id>/<path>`, downloads the model's files, and writes the input rows
 * plus a `prediction` column. The run records the input as a dataset (context `inference`), the model
 * URI as a param and the row count as a metric.
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
    const reference = parseModelUri(modelUri);
    const inputPath = path.resolve(this.config.inputPath);
    const outputPath = path.resolve(this.config.outputPath);
    await assertUsableOutput(inputPath, outputPath);
    // read the input and resolve the model first: a wrong path or a missing alias leaves no FAILED run behind
    const table = parseCsv(await readText(inputPath, 'job.inputPath'), inputPath);
    const resolved = await this.resolve(reference);
    const { tracker } = this.services;

    return withRun(tracker, { runName: `infer-${resolved.label}`, tags: { 'mlops.job': this.kind, 'mlops.model_uri': modelUri } }, async (run) => {
      await tracker.logInputs(run.runId, [datasetInput(csvDataset(table, inputPath), 'inference')]);
      await tracker.logParams(run.runId, { model_uri: modelUri, ...(resolved.version !== undefined && { model_version: resolved.version }) });
      this.logger.info(`Loading ${modelUri} → ${resolved.loadUri}`, { modelUri, loadUri: resolved.loadUri, runId: run.runId });
      const model = await this.loadModel(resolved);
      const predictions = predict(model, numericColumns(table, model.featureNames, inputPath));

      const at = table.columns.indexOf(PREDICTION_COLUMN);
      const columns = at < 0 ? [...table.columns, PREDICTION_COLUMN] : table.columns;
      const rows = table.rows.map((row, i) => {
        const value = Number(predictions[i]!.toFixed(4));
        return at < 0 ? [...row, value] : row.map((cell, j) => (j === at ? value : cell));
      });
      await mkdir(path.dirname(outputPath), { recursive: true });
      await writeFile(outputPath, formatCsv(columns, rows), 'utf8');
      await tracker.logMetric(run.runId, 'rows_scored', rows.length);

      this.logger.info(`Wrote ${rows.length} predictions to ${outputPath}`, { modelUri, rows: rows.length, runId: run.runId });
      await this.services.alerter.notify('Inference Job Finished', `${rows.length} predictions from ${resolved.model !== undefined ? `${resolved.model} v${resolved.version}` : modelUri}`);
      const { model: name, version, modelId } = resolved;
      return { runId: run.runId, modelUri, ...(name !== undefined && { model: name }), ...(version !== undefined && { version }), ...(modelId !== undefined && { modelId }), rows: rows.length, outputPath };
    }, { signal: this.signal });
  }

  private async resolve(reference: ModelReference): Promise<ResolvedModel> {
    const { tracker } = this.services;
    if (reference.kind === 'logged-model') {
      await this.explained(tracker.getLoggedModel(reference.modelId), 'check the id in job.modelUri (a logged model of this tracking server)');
      return { loadUri: this.config.modelUri, label: reference.modelId, modelId: reference.modelId };
    }
    if (reference.kind === 'run') {
      await this.explained(tracker.getRun(reference.runId), 'check the run id in job.modelUri');
      return { loadUri: this.config.modelUri, label: `${reference.runId.slice(0, 8)}-${path.posix.basename(reference.path)}` };
    }
    const version = await this.resolveVersion(reference);
    const modelId = version.modelId ?? loggedModelIdOf(version.source);
    return { loadUri: version.source, label: `${version.name}-v${version.version}`, model: version.name, version: version.version, ...(modelId !== undefined && { modelId }) };
  }

  private resolveVersion(reference: Extract<ModelReference, { name: string }>): Promise<ModelVersion> {
    const { registry } = this.services;
    return reference.kind === 'alias'
      ? this.explained(registry.getVersionByAlias(reference.name, reference.alias), `promote a version first (PromotionJob with model: ${reference.name}, alias: ${reference.alias})`)
      : this.explained(registry.getModelVersion(reference.name, reference.version), 'check the version number in job.modelUri');
  }

  /** A NotFoundError from resolving job.modelUri, restated with the URI and how to fix it; the code is kept. */
  private async explained<T>(lookup: Promise<T>, hint: string): Promise<T> {
    try {
      return await lookup;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      throw new NotFoundError(`job.modelUri ${this.config.modelUri}: ${error.message} ${hint[0]!.toUpperCase()}${hint.slice(1)}.`, error.code, {
        details: { ...error.details, modelUri: this.config.modelUri },
        cause: error,
      });
    }
  }

  /** Downloads the model's files and reads `model.json`, the linear model TrainingJob saves (the `mlops_kit` flavor's data). */
  private async loadModel(resolved: ResolvedModel): Promise<LinearModel> {
    const dir = await mkdtemp(path.join(this.deps.tmpDir ?? os.tmpdir(), 'mlops-kit-inference-'));
    try {
      const root = await this.services.tracker.downloadModel(resolved.loadUri, dir);
      const file = path.join(root, MODEL_FILE);
      const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
        throw new NotFoundError(
          `${resolved.loadUri} has no ${MODEL_FILE}: it is not a model mlops-kit saved (its files: ${this.config.modelUri}). Register models with TrainingJob or tracker.logModel.`,
          ErrorCodes.ARTIFACT_NOT_FOUND,
          { details: { modelUri: this.config.modelUri, loadUri: resolved.loadUri } },
        );
      });
      return parseModel(text, `${resolved.label} ${MODEL_FILE}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/**
 * The predictions may never overwrite the input (compared by real path, so a symlink or `./a/../in.csv`
 * is caught) nor land on a directory. The config loader refuses both up front (exit 2); this guards apps
 * that build the job config in code.
 */
async function assertUsableOutput(inputPath: string, outputPath: string): Promise<void> {
  const fail = (why: string): never => {
    throw new ValidationError(`job.outputPath ${outputPath}: ${why}.`, ErrorCodes.INVALID_PATH, { details: { keyPath: 'job.outputPath', outputPath, inputPath } });
  };
  const info = await stat(outputPath).catch(() => undefined);
  if (info?.isDirectory()) fail('is a directory; name the predictions file, e.g. out/predictions.csv');
  const real = async (file: string): Promise<string> => {
    // the output may not exist yet: its directory's real path plus its name
    const resolved = await realpath(file).catch(async () => path.join(await realpath(path.dirname(file)).catch(() => path.dirname(file)), path.basename(file)));
    return resolved;
  };
  if ((await real(outputPath)) === (await real(inputPath))) fail('is the input file (job.inputPath); write the predictions to another file');
}

/** InferenceJob's definition: reads the registry and the model's files, and tracks the scoring run. */
export const InferenceJobDefinition = defineJob({
  kind: 'InferenceJob',
  description: 'Scores a CSV file in a tracked run with a model: models:/name@alias or /3, models:/m-<id>, runs:/<id>/path.',
  schema: InferenceJobSchema,
  uses: ['tracker', 'registry'],
  create: (context, config) => new InferenceJob(context, config),
});
