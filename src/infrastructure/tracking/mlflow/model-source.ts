import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, ValidationError } from '../../../domain/errors';

/**
 * MLflow's rule for a model version's `source` (model_registry handlers `_validate_source`): a remote
 * URI (`runs:/…`, `s3://…`, `mlflow-artifacts:/…`, `models:/…`) is accepted as is; a LOCAL path only when
 * a run is named and the path lies inside that run's artifact directory. Checked before the call so the
 * message can say what to do.
 */

/** True when `source` is a path or `file:` URI (what MLflow calls local). */
export function isLocalSource(source: string): boolean {
  if (/^[a-z]:[\\/]/i.test(source)) return true; // a Windows drive letter, not a scheme
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(source)?.[1];
  return scheme === undefined || scheme.toLowerCase() === 'file';
}

/** Absolute local path of a path or `file:` URI. */
export function localPathOf(uri: string): string {
  if (uri.startsWith('file://')) return fileURLToPath(uri);
  if (uri.startsWith('file:')) return path.resolve(uri.slice('file:'.length));
  return path.resolve(uri);
}

/**
 * Throws ValidationError unless a local `source` is inside `runArtifactUri` (the run's artifact root).
 * `runArtifactUri` is only needed, and only fetched by the caller, for local sources.
 */
export function assertLocalSourceInRun(source: string, runId: string | undefined, runArtifactUri: string | undefined): void {
  const fix = 'Pass the run id and a path inside its artifact directory, or a URI such as runs:/<run_id>/model.';
  if (!runId) {
    throw new ValidationError(`Model version source ${JSON.stringify(source)} is a local path, which MLflow accepts only together with a run id. ${fix}`, ErrorCodes.VALIDATION, {
      details: { source },
    });
  }
  if (runArtifactUri === undefined || !isLocalSource(runArtifactUri)) {
    throw new ValidationError(
      `Model version source ${JSON.stringify(source)} is a local path, but run ${runId} keeps its artifacts at ${runArtifactUri ?? 'an unknown location'}, not on this disk. Use runs:/${runId}/<artifact path> instead.`,
      ErrorCodes.VALIDATION,
      { details: { source, runId } },
    );
  }
  const root = localPathOf(runArtifactUri);
  const target = localPathOf(source);
  const relative = path.relative(root, target);
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw new ValidationError(
      `Model version source ${JSON.stringify(source)} is not inside the artifact directory of run ${runId} (${root}). ${fix}`,
      ErrorCodes.VALIDATION,
      { details: { source, runId } },
    );
  }
}
