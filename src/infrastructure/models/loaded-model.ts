import { ErrorCodes, ModelLoadError } from '../../domain/errors';
import type { ColumnSpec, ModelSignature } from '../../domain/model/logged-model';
import { checkModelInput, type ModelInput, type ModelOutputs } from '../../domain/model/model-input';
import type { FlavorScorer, LoadedModel } from '../../domain/ports/model-loader';

/**
 * What {@link scoredModel} wraps: a flavor loader's scorer and what the MLmodel says of the model.
 *
 * @example const parts: ScoredModelParts = { uri, flavor: 'onnx', scorer, signature: mlmodel.signature };
 */
export interface ScoredModelParts {
  uri: string;
  flavor: string;
  scorer: FlavorScorer;
  signature?: ModelSignature;
  modelId?: string;
}

/**
 * A flavor loader's scorer as a LoadedModel: its inputs are the signature's columns (else the scorer's),
 * every `predict` checks the input against them with `checkModelInput` before the scorer sees it, and
 * `release` frees the scorer once however often it is called. A scorer whose columns contradict the
 * signature (another set of names) is refused here, at load, with MODEL_LOAD_FAILED.
 *
 * @example const model = scoredModel({ uri: 'models:/bike-demand/3', flavor: 'mlops_kit', scorer });
 */
export function scoredModel(parts: ScoredModelParts): LoadedModel {
  const inputs = inputsOf(parts);
  const { scorer } = parts;
  let released: Promise<void> | undefined;
  return {
    uri: parts.uri,
    flavor: parts.flavor,
    inputs,
    outputNames: [...scorer.outputNames],
    ...(parts.modelId !== undefined && { modelId: parts.modelId }),
    async predict(input: ModelInput): Promise<ModelOutputs> {
      return scorer.score(checkModelInput(input, inputs));
    },
    release(): Promise<void> {
      released ??= scorer.release?.() ?? Promise.resolve();
      return released;
    },
  };
}

function inputsOf({ uri, flavor, scorer, signature }: ScoredModelParts): readonly ColumnSpec[] {
  const declared = signature !== undefined && signature.inputs.length > 0 ? signature.inputs : scorer.inputs;
  if (declared === undefined || declared.length === 0) {
    throw new ModelLoadError(`${uri}: neither its MLmodel signature nor its ${flavor} loader names the model's input columns; log the model with a signature.`, ErrorCodes.MODEL_LOAD_FAILED, {
      details: { modelUri: uri },
    });
  }
  if (declared !== scorer.inputs && scorer.inputs !== undefined) {
    const names = (columns: readonly ColumnSpec[]) => columns.map((c) => c.name ?? '').sort().join(', ');
    if (names(declared) !== names(scorer.inputs)) {
      throw new ModelLoadError(`${uri}: its signature takes ${names(declared)} but its ${flavor} file takes ${names(scorer.inputs)}; re-log the model with a matching signature.`, ErrorCodes.MODEL_LOAD_FAILED, {
        details: { modelUri: uri },
      });
    }
  }
  return declared;
}
