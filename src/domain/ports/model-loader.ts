import type { ColumnSpec, ModelSignature } from '../model/logged-model';
import type { ColumnBatch, ModelInput, ModelOutputs } from '../model/model-input';

/**
 * A model loaded into memory, ready to score: the columns it takes (from its signature, else from the
 * model file itself) and its flavor. `predict` checks the input with `checkModelInput` first, so a bad
 * request is a ValidationError (MODEL_INPUT_INVALID) and never reaches the model. Safe to call
 * concurrently. `release()` frees it (the native session of an ONNX model); call it once.
 *
 * @example
 * const model = await models.load('models:/bike-demand/3');
 * const { variable } = await model.predict([{ hour: 8, temperature: 21.5 }]);
 * await model.release();
 */
export interface LoadedModel {
  /** The URI it was loaded from. */
  readonly uri: string;
  /** The flavor whose loader scores it, e.g. `onnx`. */
  readonly flavor: string;
  /** The columns it takes, in order. */
  readonly inputs: readonly ColumnSpec[];
  /** Its outputs' names, in order; the first is the prediction a predictor returns. */
  readonly outputNames: readonly string[];
  /** The logged model (`m-…`) the files belong to, when the MLmodel names one. */
  readonly modelId?: string;
  predict(input: ModelInput): Promise<ModelOutputs>;
  release(): Promise<void>;
}

/**
 * A model's files on local disk, as a flavor loader gets them: the directory (it exists while `load`
 * runs: read what you need into memory), the flavor's own MLmodel section, and what the MLmodel says of
 * the whole model.
 *
 * @example const bytes = await fs.readFile(path.join(files.dir, String(files.flavor.data)));
 */
export interface ModelFiles {
  readonly uri: string;
  readonly dir: string;
  /** This loader's section of the MLmodel's `flavors`. */
  readonly flavor: Readonly<Record<string, unknown>>;
  /** Every flavor the MLmodel declares. */
  readonly flavors: readonly string[];
  readonly signature?: ModelSignature;
  readonly modelId?: string;
}

/**
 * What a flavor loader returns: a scorer for input already checked against `inputs` (the signature's
 * columns when the model has a signature, else the ones the scorer declares).
 *
 * @example const scorer: FlavorScorer = { inputs, outputNames: ['prediction'], score: async (batch) => ({ prediction: batch.columns.x!.map(Number) }) };
 */
export interface FlavorScorer {
  /** The columns the model takes when its MLmodel has no signature; ignored when it has one. */
  readonly inputs?: readonly ColumnSpec[];
  readonly outputNames: readonly string[];
  score(batch: ColumnBatch): Promise<ModelOutputs>;
  release?(): Promise<void>;
}

/**
 * Scores the models of one MLmodel flavor. Register an app's own with `createContainer({ flavors: [...] })`,
 * as it adds job kinds; built in are `onnx` (MLflow's own, scored with onnxruntime-node) and `mlops_kit`
 * (models mlops-kit trained before ONNX). A model is scored by the first registered loader whose flavor
 * it declares.
 *
 * @example
 * const csvLookup: ModelFlavorLoader = {
 *   flavor: 'lookup_table',
 *   async load(files) {
 *     const table = JSON.parse(await fs.readFile(path.join(files.dir, 'table.json'), 'utf8')) as Record<string, number>;
 *     return { outputNames: ['score'], score: async (batch) => ({ score: batch.columns.key!.map((k) => table[String(k)] ?? 0) }) };
 *   },
 * };
 */
export interface ModelFlavorLoader {
  readonly flavor: string;
  load(files: ModelFiles): Promise<FlavorScorer>;
}

/**
 * Turns a model URI into a loaded model: resolves `models:/name@alias` and `models:/name/3` through the
 * registry, downloads the files (`models:/m-<id>`, `runs:/<run>/<path>`, a version's source), refuses
 * files over the size bound, reads the MLmodel and scores with the loader of its flavor. Each call loads
 * anew; the job runtime shares one loaded copy of a version between its predictors.
 *
 * @example const model = await container.get(TYPES.ModelLoader).load('models:/bike-demand@Champion');
 */
export interface IModelLoader {
  load(modelUri: string): Promise<LoadedModel>;
}
