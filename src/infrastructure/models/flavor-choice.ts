import { ErrorCodes, errorCodeOf, ModelLoadError } from '../../domain/errors';
import type { ILogger } from '../../domain/ports/logger';
import type { FlavorScorer, ModelFiles, ModelFlavorLoader } from '../../domain/ports/model-loader';

/**
 * A flavor loader's scorer and the flavor that made it.
 *
 * @example const { flavor, scorer }: ChosenScorer = await flavors.load(files);
 */
export interface ChosenScorer {
  flavor: string;
  scorer: FlavorScorer;
}

/**
 * The open registry of flavor loaders, in order (the app's first, then the built-in ones): a model is
 * scored by the first whose flavor its MLmodel declares. A loader whose runtime is not installed
 * (ADAPTER_NOT_AVAILABLE, e.g. onnx without onnxruntime-node) gives way to the next flavor the model
 * declares, said once at info per flavor; with none left its error stands.
 *
 * @example const { flavor, scorer } = await new FlavorLoaders([csvLookup, ONNX_FLAVOR_LOADER], logger).load(files);
 */
export class FlavorLoaders {
  private readonly unavailable = new Set<string>();

  constructor(
    private readonly loaders: readonly ModelFlavorLoader[],
    private readonly logger?: ILogger,
  ) {}

  /** The flavors scored here, in order, each once. */
  get flavors(): string[] {
    return [...new Set(this.loaders.map((l) => l.flavor))];
  }

  /** Scores `files` with the first loader of a flavor in `sections` (the MLmodel's `flavors`); MODEL_FLAVOR_UNSUPPORTED when none. */
  async load(files: Omit<ModelFiles, 'flavor'>, sections: Readonly<Record<string, Readonly<Record<string, unknown>>>>): Promise<ChosenScorer> {
    const candidates = this.loaders.filter((loader) => files.flavors.includes(loader.flavor));
    if (candidates.length === 0) throw this.unsupported(files.uri, files.flavors);
    return this.first(candidates, 0, files, sections);
  }

  private async first(
    candidates: readonly ModelFlavorLoader[],
    at: number,
    files: Omit<ModelFiles, 'flavor'>,
    sections: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  ): Promise<ChosenScorer> {
    const loader = candidates[at]!;
    try {
      return { flavor: loader.flavor, scorer: await loader.load({ ...files, flavor: sections[loader.flavor] ?? {} }) };
    } catch (error) {
      const next = candidates[at + 1];
      const code = errorCodeOf(error);
      // an app's loader may throw anything: a plain error is still a model that failed to load, named so
      if (code === undefined) {
        throw new ModelLoadError(`${files.uri}: the ${loader.flavor} loader failed: ${firstLine(error)}`, ErrorCodes.MODEL_LOAD_FAILED, {
          details: { modelUri: files.uri, flavor: loader.flavor },
          cause: error,
        });
      }
      if (code !== ErrorCodes.ADAPTER_NOT_AVAILABLE || next === undefined) throw error;
      if (!this.unavailable.has(loader.flavor)) {
        this.unavailable.add(loader.flavor);
        this.logger?.info(`Scoring ${loader.flavor} models with their ${next.flavor} flavor instead: ${(error as Error).message}`, { flavor: loader.flavor, fallback: next.flavor });
      }
      return this.first(candidates, at + 1, files, sections);
    }
  }

  private unsupported(modelUri: string, has: readonly string[]): ModelLoadError {
    return new ModelLoadError(
      `${modelUri}: mlops-kit has no loader for its flavors (${has.join(', ') || 'none'}); it scores ${this.flavors.join(', ')}: export it to ONNX (mlflow.onnx.log_model) to score it in Node.`,
      ErrorCodes.MODEL_FLAVOR_UNSUPPORTED,
      { details: { modelUri, flavors: [...has], scored: this.flavors } },
    );
  }
}

/** The first line of an error's message: a log line and a status stay one line whatever a loader throws. */
function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
