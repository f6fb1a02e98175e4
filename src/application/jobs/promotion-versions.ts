import { ErrorCodes, NotFoundError } from '../../domain/errors';
import type { ModelVersion, RegisteredModel } from '../../domain/model/model-version';
import type { IModelRegistry } from '../../domain/ports/model-registry';

/**
 * A PromotionJob's registry reads, each failure restated with how to fix it: the registered model (with
 * its aliases), the version to promote (the requested one, else the latest).
 *
 * @example const { registered, chosen } = await promotionVersions(registry, 'bike-demand', undefined);
 */
export async function promotionVersions(registry: IModelRegistry, model: string, requested: number | undefined): Promise<{ registered: RegisteredModel; chosen: ModelVersion }> {
  const registered = await registeredModel(registry, model);
  const chosen = requested === undefined ? await latestVersion(registry, model) : await requestedVersion(registry, model, requested);
  return { registered, chosen };
}

async function registeredModel(registry: IModelRegistry, model: string): Promise<RegisteredModel> {
  try {
    return await registry.getRegisteredModel(model);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    throw new NotFoundError(
      `Registered model "${model}" does not exist; check job.model, or register a version first (run a TrainingJob with model: ${model}).`,
      ErrorCodes.MODEL_NOT_FOUND,
      { details: { model }, cause: error },
    );
  }
}

async function latestVersion(registry: IModelRegistry, model: string): Promise<ModelVersion> {
  const latest = await registry.getLatestVersion(model);
  if (!latest) {
    throw new NotFoundError(`Registered model "${model}" has no versions to promote; register one first (run a TrainingJob with model: ${model}).`, ErrorCodes.MODEL_HAS_NO_VERSIONS, {
      details: { model },
    });
  }
  return latest;
}

async function requestedVersion(registry: IModelRegistry, model: string, version: number): Promise<ModelVersion> {
  try {
    return await registry.getModelVersion(model, version);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    const latest = await registry.getLatestVersion(model).catch(() => undefined);
    const hint = latest ? `the latest is ${latest.version}` : 'it has no versions yet';
    throw new NotFoundError(
      `Model "${model}" has no version ${version} (${hint}); set job.version to an existing version or omit it to promote the latest.`,
      ErrorCodes.MODEL_VERSION_NOT_FOUND,
      { details: { model, version }, cause: error },
    );
  }
}
