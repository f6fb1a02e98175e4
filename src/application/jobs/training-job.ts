import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { JobInterruptedError } from '../../domain/errors';
import type { LoggedModel } from '../../domain/model/logged-model';
import type { RunInfo } from '../../domain/model/run';
import { assertValidModelName } from '../../domain/model/naming-rules';
import { withRun } from '../tracking/with-run';
import { type Dataset, summarizeDataset } from '../training/dataset';
import { inputExampleOf, signatureOf, trainingDataset } from '../training/dataset-input';
import { datasetInput } from '../training/dataset-identity';
import { LINEAR_MODEL_LOADER, MODEL_FILE, serializeModel } from '../training/linear-model';
import { linearOnnxGraph } from '../training/linear-onnx';
import { assertHyperparams, type Hyperparams, trainModel, type TrainingOutcome } from '../training/train';
import type { z } from 'zod';
import { Job, type JobContext } from './job';
import { defineJob } from './job-definition';
import { parseJobConfig } from './schemas/parse-job-config';
import { TrainingJobSchema, type TrainingJobConfig } from './schemas/training';
import { dataSourceLabel, loadTrainingData } from './training-data';

/**
 * What a TrainingJob returns: its run, the model name, the registered version, and rmse/r2 on the
 * held-out test rows.
 *
 * @example const { version, rmse }: TrainingResult = await runtime.run({ KIND: 'TrainingJob', model: 'bike-demand' });
 */
export type TrainingResult = {
  runId: string;
  experimentId: string;
  model: string;
  /** The URI that loads the logged model: `models:/m-<id>`, or `runs:/<run id>/model` on an MLflow 2.x server. */
  modelUri: string;
  /** The logged model's id (`m-…`), where the server has logged models. */
  modelId?: string;
  /** The registered version; absent with `register: false`. */
  version?: number;
  rmse: number;
  r2: number;
};

export interface TrainingJobDeps {
  /** Where the model file is staged before upload (default: the OS temp dir). */
  tmpDir?: string;
}

/**
 * Trains the demo bike-demand regression in a tracked run and registers it: params, the training data as
 * a dataset input, the loss per epoch, test and train rmse/r2, the model logged with an MLmodel file
 * (signature, input example) as ONNX (MLflow's onnx and python_function flavors) and as mlops-kit's
 * model.json, then a new version of `model` whose source is the logged model's URI.
 * The same seed gives the same weights and metrics.
 *
 * @example
 * const { runId, version, rmse } = await runtime.run({ KIND: 'TrainingJob', model: 'bike-demand', seed: 7 });
 */
export class TrainingJob extends Job<TrainingResult> {
  static readonly KIND = 'TrainingJob';
  readonly kind = TrainingJob.KIND;
  private parsed: z.output<typeof TrainingJobSchema> | undefined;

  constructor(
    context: JobContext,
    private readonly input: TrainingJobConfig,
    private readonly deps: TrainingJobDeps = {},
  ) {
    super(context);
  }

  /** The config with defaults, parsed on first use in run(): a job built in code gets the same checks as one from a file. */
  private get config(): z.output<typeof TrainingJobSchema> {
    this.parsed ??= parseJobConfig(TrainingJobSchema, this.input);
    return this.parsed;
  }

  protected async run(): Promise<TrainingResult> {
    const { model, seed, epochs, learningRate, l2, testFraction } = this.config;
    const hyperparams: Hyperparams = { seed, epochs, learningRate, l2, testFraction };
    // bad input fails before a run exists, so it leaves no FAILED run behind
    assertValidModelName(model);
    assertHyperparams(hyperparams);
    const data = await loadTrainingData(this.config, 'job.dataPath', this.signal);
    const { tracker } = this.services;

    return withRun(tracker, { runName: this.config.runName ?? `train-${model}`, tags: { 'mlops.job': this.kind, 'mlops.model': model } }, async (run) => {
      await this.logDataAndParams(run, data, hyperparams);
      // yields to the event loop every few ms and stops between two slices once the job is interrupted
      const outcome = await trainModel(data, hyperparams, { signal: this.signal });
      for (const [epoch, loss] of outcome.lossHistory.entries()) await tracker.logMetric(run.runId, 'loss', loss, { step: epoch });
      await tracker.logMetrics(run.runId, outcome.metrics);
      await tracker.setTags(run.runId, { 'data.train_rows': String(outcome.trainRows), 'data.test_rows': String(outcome.testRows) });
      const logged = await this.logModel(run, data, outcome);
      this.logger.info(`Trained ${model}: rmse=${outcome.metrics.rmse.toFixed(4)} r2=${outcome.metrics.r2.toFixed(4)}`, {
        runId: run.runId,
        ...outcome.metrics,
      });
      this.checkInterrupted();
      const version = this.config.register ? await this.register(run, logged) : undefined;
      await this.services.alerter.notify('Training Job Finished', `Model version: ${version ?? 'not registered (register: false)'}`);
      return {
        runId: run.runId,
        experimentId: run.experimentId,
        model,
        modelUri: logged.modelUri,
        ...(logged.modelId !== undefined && { modelId: logged.modelId }),
        ...(version !== undefined && { version }),
        rmse: outcome.metrics.rmse,
        r2: outcome.metrics.r2,
      };
    }, { signal: this.signal });
  }

  private async logDataAndParams(run: RunInfo, data: Dataset, hyperparams: Hyperparams): Promise<void> {
    const summary = summarizeDataset(data);
    const source = dataSourceLabel(this.config);
    await this.services.tracker.logParams(run.runId, {
      model: this.config.model,
      ...hyperparams,
      rows: summary.rows,
      features: data.featureNames.join(','),
      n_features: summary.features,
      data_source: source,
      register: this.config.register,
    });
    await this.services.tracker.logInputs(run.runId, [datasetInput(trainingDataset(data, this.config), 'training')]);
    await this.services.tracker.setTags(run.runId, {
      'data.source': source,
      'data.rows': String(summary.rows),
      'data.features': data.featureNames.join(','),
      'data.target': data.target,
      'data.target_mean': summary.targetMean.toFixed(4),
      'data.target_std': summary.targetStd.toFixed(4),
    });
  }

  /**
   * Logs the run's model in two forms: `model.onnx` (the `onnx` and `python_function` flavors, so MLflow's
   * Python tools and onnxruntime-node score it) and `model.json` (the `mlops_kit` flavor, so a Node app
   * without onnxruntime-node still does), with the signature and an input example: a logged model (`m-…`)
   * where the server has them, else the run's `model/` artifacts.
   */
  private async logModel(run: RunInfo, data: Dataset, outcome: TrainingOutcome): Promise<LoggedModel> {
    const dir = await mkdtemp(path.join(this.deps.tmpDir ?? os.tmpdir(), 'mlops-kit-model-'));
    const signature = signatureOf(data);
    try {
      await writeFile(path.join(dir, MODEL_FILE), serializeModel(outcome.model), 'utf8');
      return await this.services.tracker.logModel(run.runId, {
        name: 'model',
        path: dir,
        onnx: linearOnnxGraph(outcome.model, signature.inputs),
        loader: LINEAR_MODEL_LOADER,
        data: MODEL_FILE,
        signature,
        inputExample: inputExampleOf(data, 5),
        modelType: 'regressor',
        params: { epochs: this.config.epochs, learningRate: this.config.learningRate, l2: this.config.l2 },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async register(run: RunInfo, logged: LoggedModel): Promise<number> {
    const { registry, tracker } = this.services;
    const { model } = this.config;
    await registry.createRegisteredModel(model, { description: 'Bike-demand regression trained by mlops-kit TrainingJob.' });
    const created = await registry.createModelVersion({
      name: model,
      source: logged.modelUri,
      runId: run.runId,
      ...(logged.modelId !== undefined && { modelId: logged.modelId }),
    });
    await tracker.setTag(run.runId, 'mlops.registered_version', String(created.version));
    this.logger.info(`Registered ${model} version ${created.version} from ${logged.modelUri}`, { model, version: created.version, runId: run.runId });
    return created.version;
  }

  private checkInterrupted(): void {
    if (this.signal.aborted) throw new JobInterruptedError(String(this.signal.reason ?? 'abort'));
  }
}

/** TrainingJob's definition: a tracked run, then (by default) a registered version. */
export const TrainingJobDefinition = defineJob({
  kind: 'TrainingJob',
  description: 'Trains the demo regression model, logs params and metrics, and registers the model.',
  schema: TrainingJobSchema,
  uses: ['tracker', 'registry'],
  create: (context, config) => new TrainingJob(context, config),
});
