import { NotFoundError } from '../../domain/errors';
import type { ModelVersion } from '../../domain/model/model-version';
import { loggedModelIdOf, parseModelUri } from '../../domain/model/naming-rules';
import type { IModelRegistry } from '../../domain/ports/model-registry';

/**
 * Where a model URI's files come from: the URI the tracker downloads (a registered version's source, or
 * the URI itself), and what it names: the registered model and version, the logged model.
 *
 * @example const { loadUri, version } = await resolveModelSource(registry, 'models:/bike-demand@Champion');
 */
export interface ModelSource {
  loadUri: string;
  model?: string;
  version?: number;
  modelId?: string;
}

/**
 * Resolves `models:/name@alias` and `models:/name/N` through the registry to the version's source;
 * `models:/m-<id>` and `runs:/<run>/<path>` load as they are. A bad URI is a ValidationError naming the
 * forms; a missing model, version or alias keeps its NotFoundError code, restated with the URI and a fix.
 *
 * @example const source = await resolveModelSource(registry, 'models:/bike-demand/3'); // { loadUri: 'models:/m-…', model: 'bike-demand', version: 3, modelId: 'm-…' }
 */
export async function resolveModelSource(registry: IModelRegistry, modelUri: string): Promise<ModelSource> {
  const reference = parseModelUri(modelUri);
  if (reference.kind === 'logged-model') return { loadUri: modelUri, modelId: reference.modelId };
  if (reference.kind === 'run') return { loadUri: modelUri };
  const version =
    reference.kind === 'alias'
      ? await explained(modelUri, registry.getVersionByAlias(reference.name, reference.alias), `promote a version first (PromotionJob with model: ${reference.name}, alias: ${reference.alias})`)
      : await explained(modelUri, registry.getModelVersion(reference.name, reference.version), 'check the version number in the model URI');
  return sourceOf(version);
}

function sourceOf(version: ModelVersion): ModelSource {
  const modelId = version.modelId ?? loggedModelIdOf(version.source);
  return { loadUri: version.source, model: version.name, version: version.version, ...(modelId !== undefined && { modelId }) };
}

/** A NotFoundError from the registry, restated with the URI and how to fix it; the code is kept. */
async function explained<T>(modelUri: string, lookup: Promise<T>, hint: string): Promise<T> {
  try {
    return await lookup;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    throw new NotFoundError(`${modelUri}: ${error.message} ${hint[0]!.toUpperCase()}${hint.slice(1)}.`, error.code, {
      details: { ...error.details, modelUri },
      cause: error,
    });
  }
}
