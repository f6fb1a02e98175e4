import path from 'node:path';
import { NotFoundError } from '../../domain/errors';
import type { ModelVersion } from '../../domain/model/model-version';
import { loggedModelIdOf, parseModelUri } from '../../domain/model/naming-rules';
import type { JobServices } from './job';

/**
 * A model URI resolved to what loads it and what a result reports: a registered name and version (an
 * alias resolved to its number), the logged model id when known, and a short label for run names.
 *
 * @example const { loadUri, version }: ResolvedModel = await resolveModelUri('models:/churn@Champion', services);
 */
export interface ResolvedModel {
  /** `models:/name/<version>` for a registered model (so the alias cannot move between resolving and loading), else the URI itself. */
  loadUri: string;
  label: string;
  model?: string;
  version?: number;
  modelId?: string;
}

/**
 * Resolves `job.modelUri` before anything is loaded or tracked, so a typo leaves no run behind: an alias
 * or version through the registry, a logged model or run through the tracker (never the registry). A
 * NotFoundError is restated with the URI and how to fix it; its code is kept.
 *
 * @example const resolved = await resolveModelUri('models:/bike-demand@Champion', { tracker, registry });
 */
export async function resolveModelUri(modelUri: string, services: Pick<JobServices, 'tracker' | 'registry'>): Promise<ResolvedModel> {
  const reference = parseModelUri(modelUri);
  const explained = <T>(lookup: Promise<T>, hint: string) => explainedLookup(lookup, modelUri, hint);
  if (reference.kind === 'logged-model') {
    await explained(services.tracker.getLoggedModel(reference.modelId), 'check the id in job.modelUri (a logged model of this tracking server)');
    return { loadUri: modelUri, label: reference.modelId, modelId: reference.modelId };
  }
  if (reference.kind === 'run') {
    await explained(services.tracker.getRun(reference.runId), 'check the run id in job.modelUri');
    return { loadUri: modelUri, label: `${reference.runId.slice(0, 8)}-${path.posix.basename(reference.path)}` };
  }
  const { registry } = services;
  const version: ModelVersion =
    reference.kind === 'alias'
      ? await explained(registry.getVersionByAlias(reference.name, reference.alias), `promote a version first (PromotionJob with model: ${reference.name}, alias: ${reference.alias})`)
      : await explained(registry.getModelVersion(reference.name, reference.version), 'check the version number in job.modelUri');
  const modelId = version.modelId ?? loggedModelIdOf(version.source);
  return {
    loadUri: `models:/${version.name}/${version.version}`,
    label: `${version.name}-v${version.version}`,
    model: version.name,
    version: version.version,
    ...(modelId !== undefined && { modelId }),
  };
}

/** A NotFoundError from resolving job.modelUri, restated with the URI and how to fix it; the code is kept. */
async function explainedLookup<T>(lookup: Promise<T>, modelUri: string, hint: string): Promise<T> {
  try {
    return await lookup;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    throw new NotFoundError(`job.modelUri ${modelUri}: ${error.message} ${hint[0]!.toUpperCase()}${hint.slice(1)}.`, error.code, {
      details: { ...error.details, modelUri },
      cause: error,
    });
  }
}
