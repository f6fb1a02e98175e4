import { mkdir, mkdtemp, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ErrorCodes, NotFoundError, ValidationError } from '../../domain/errors';
import type { ModelReference, ModelVersion } from '../../domain/model/model-version';
import { parseModelUri } from '../../domain/model/naming-rules';
import { formatCsv, numericColumns, parseCsv } from '../training/csv';
import { type LinearModel, parseModel, predict } from '../training/linear-model';
import type { z } from 'zod';
import { Job, type JobContext } from './job';
import { defineJob } from './job-definition';
import { parseJobConfig } from './schemas/parse-job-config';
import { InferenceJobSchema, type InferenceJobConfig } from './schemas/inference';
import { readText } from './training-data';

/**
 * What an InferenceJob returns: the model version that scored (an alias resolved to its number), how
 * many rows were scored, and where the predictions were written.
 *
 * @example const { version, rows, outputPath }: InferenceResult = await runtime.run({ KIND: 'InferenceJob', modelUri: 'models:/churn@Champion', inputPath: 'in.csv', outputPath: 'out.csv' });
 */
export type InferenceResult = {
  model: string;
  version: number;
  rows: number;
  /** Absolute path of the predictions CSV. */
  outputPath: string;
};

export interface InferenceJobDeps {
  /** Where the model file is downloaded (default: the OS temp dir). */
  tmpDir?: string;
}

/** Name of the column the predictions are written to. */
export const PREDICTION_COLUMN = 'prediction';

/**
 * Scores a CSV file with a registered model: resolves `models:/name@alias` or `models:/name/3`, downloads
 * the version's `model/model.json` from its run, and writes the input rows plus a `prediction` column.
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
    const reference = parseModelUri(this.config.modelUri);
    const inputPath = path.resolve(this.config.inputPath);
    const outputPath = path.resolve(this.config.outputPath);
    await assertUsableOutput(inputPath, outputPath);
    // read the input first: a wrong path should not cost a registry round trip
    const table = parseCsv(await readText(inputPath, 'job.inputPath'), inputPath);

    const version = await this.resolveVersion(reference);
    this.logger.info(`Loading ${this.config.modelUri} → ${version.name} version ${version.version}`, { model: version.name, version: version.version });
    const model = await this.downloadModel(version);
    const predictions = predict(model, numericColumns(table, model.featureNames, inputPath));

    const at = table.columns.indexOf(PREDICTION_COLUMN);
    const columns = at < 0 ? [...table.columns, PREDICTION_COLUMN] : table.columns;
    const rows = table.rows.map((row, i) => {
      const value = Number(predictions[i]!.toFixed(4));
      return at < 0 ? [...row, value] : row.map((cell, j) => (j === at ? value : cell));
    });
    await mkdir(path.dirname(outputPath), { recursive: true });
    await writeFile(outputPath, formatCsv(columns, rows), 'utf8');

    this.logger.info(`Wrote ${rows.length} predictions to ${outputPath}`, { model: version.name, version: version.version, rows: rows.length });
    await this.services.alerter.notify('Inference Job Finished', `${rows.length} predictions from ${version.name} v${version.version}`);
    return { model: version.name, version: version.version, rows: rows.length, outputPath };
  }

  private async resolveVersion(reference: ModelReference): Promise<ModelVersion> {
    const { registry } = this.services;
    try {
      return 'alias' in reference
        ? await registry.getVersionByAlias(reference.name, reference.alias)
        : await registry.getModelVersion(reference.name, reference.version);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      const hint =
        'alias' in reference
          ? `promote a version first (PromotionJob with model: ${reference.name}, alias: ${reference.alias})`
          : 'check the version number in job.modelUri';
      throw new NotFoundError(`job.modelUri ${this.config.modelUri}: ${error.message} ${hint[0]!.toUpperCase()}${hint.slice(1)}.`, error.code, {
        details: { ...error.details, modelUri: this.config.modelUri },
        cause: error,
      });
    }
  }

  private async downloadModel(version: ModelVersion): Promise<LinearModel> {
    if (!version.runId) {
      throw new NotFoundError(
        `${version.name} version ${version.version} has no run id, so its model.json cannot be located; register versions with TrainingJob.`,
        ErrorCodes.ARTIFACT_NOT_FOUND,
        { details: { model: version.name, version: version.version, source: version.source } },
      );
    }
    const dir = await mkdtemp(path.join(this.deps.tmpDir ?? os.tmpdir(), 'mlops-kit-inference-'));
    try {
      const local = await this.services.tracker.downloadArtifact(version.runId, 'model/model.json', dir);
      return parseModel(await readFile(local, 'utf8'), `${version.name} v${version.version} model/model.json`);
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

/** InferenceJob's definition: reads the registry and the version's run artifacts. */
export const InferenceJobDefinition = defineJob({
  kind: 'InferenceJob',
  description: 'Loads a registered model (models:/name/3 or models:/name@alias) and scores a CSV file.',
  schema: InferenceJobSchema,
  uses: ['tracker', 'registry'],
  create: (context, config) => new InferenceJob(context, config),
});
