import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCodes, ModelLoadError, ValidationError } from '../../domain/errors';
import type { ColumnBatch, ModelOutputs } from '../../domain/model/model-input';
import type { FlavorScorer, ModelFiles, ModelFlavorLoader } from '../../domain/ports/model-loader';
import { LINEAR_MODEL_LOADER, type LinearModel, MODEL_FILE, parseModel, predict } from '../../application/training/linear-model';
import { MLOPS_KIT_FLAVOR } from '../tracking/models/mlmodel-file';

/** The name of the one output a linear model gives. */
const PREDICTION = 'prediction';

/**
 * The `mlops_kit` flavor: the linear regression TrainingJob saves as `model.json` (the flavor's `data`).
 * Its inputs are the model's features, as doubles, when the MLmodel has no signature; its one output is
 * `prediction`. Models mlops-kit trained before ONNX keep scoring with it.
 *
 * @example const scorer = await MLOPS_KIT_FLAVOR_LOADER.load(files); await scorer.score({ rows: 1, columns: { hour: [8] } });
 */
export const MLOPS_KIT_FLAVOR_LOADER: ModelFlavorLoader = {
  flavor: MLOPS_KIT_FLAVOR,
  async load(files: ModelFiles): Promise<FlavorScorer> {
    const kind = files.flavor.loader;
    if (kind !== LINEAR_MODEL_LOADER) {
      throw new ModelLoadError(
        `${files.uri}: its ${MLOPS_KIT_FLAVOR} flavor names the loader ${JSON.stringify(kind)}; this mlops-kit scores "${LINEAR_MODEL_LOADER}" only. Upgrade mlops-kit, or retrain the model.`,
        ErrorCodes.MODEL_FLAVOR_UNSUPPORTED,
        { details: { modelUri: files.uri, loader: kind } },
      );
    }
    const model = await readLinearModel(files);
    return {
      inputs: model.featureNames.map((name) => ({ name, type: 'double' as const })),
      outputNames: [PREDICTION],
      score: async (batch) => scoreLinear(model, batch),
    };
  },
};

/** Reads the flavor's data file, which must lie inside the model's directory (an MLmodel is not trusted to point elsewhere). */
async function readLinearModel(files: ModelFiles): Promise<LinearModel> {
  const data = typeof files.flavor.data === 'string' && files.flavor.data !== '' ? files.flavor.data : MODEL_FILE;
  const file = path.resolve(files.dir, data);
  const relative = path.relative(files.dir, file);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw failed(files.uri, `flavors.${MLOPS_KIT_FLAVOR}.data ${JSON.stringify(data)} points outside the model's files`);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw failed(files.uri, `its ${data} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, error);
  }
  try {
    return parseModel(text, data);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw failed(files.uri, error.message.replace(/\.$/, ''), error);
  }
}

function scoreLinear(model: LinearModel, batch: ColumnBatch): ModelOutputs {
  const columns = model.featureNames.map((name) => batch.columns[name]!);
  const rows: number[][] = [];
  for (let r = 0; r < batch.rows; r += 1) {
    rows.push(
      columns.map((values, j) => {
        const value = values[r];
        if (typeof value === 'number') return value;
        // an optional column left out arrives as nulls, but a linear model needs every feature
        throw new ValidationError(`Model input: column "${model.featureNames[j]}" row ${r}: missing value (the linear model needs every feature).`, ErrorCodes.MODEL_INPUT_INVALID, {
          details: { column: model.featureNames[j], row: r },
        });
      }),
    );
  }
  return { [PREDICTION]: predict(model, rows) };
}

function failed(modelUri: string, why: string, cause?: unknown): ModelLoadError {
  return new ModelLoadError(`${modelUri}: ${why}.`, ErrorCodes.MODEL_LOAD_FAILED, { details: { modelUri }, ...(cause === undefined ? {} : { cause }) });
}
