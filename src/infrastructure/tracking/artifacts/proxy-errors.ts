import { isAxiosError, type AxiosError } from 'axios';
import { ErrorCodes, MlopsError, TrackerUnavailableError } from '../../../domain/errors';
import { mapHttpError } from '../shared/error-mapping';
import { hasJsonBody } from '../shared/retry-policy';
import { artifactNotFound } from '../shared/file-artifact-store';

/**
 * Turns a failed artifact-proxy call into a domain error. Two answers get their own message: a 503
 * that is not JSON (the server runs with --no-serve-artifacts; retrying cannot help, so the REST
 * client's policy does not retry it) and a 404 on a file. The rest goes through the REST client's
 * mapping with ARTIFACT_STORE_UNAVAILABLE / ARTIFACT_NOT_FOUND as codes. No header or body of ours is kept.
 *
 * @example
 * try { await http.put(url, body); } catch (e) { throw proxyFailure(e, 'PUT', 'model/MLmodel', 'http://mlflow:5000'); }
 */
export function proxyFailure(error: unknown, method: string, artifactPath: string, where: string, secrets: readonly string[] = []): MlopsError {
  const axiosError = findAxiosError(error);
  const response = axiosError?.response;
  if (response) discardBody(response.data);
  if (response?.status === 503 && !hasJsonBody(response)) {
    return new TrackerUnavailableError(
      `The MLflow server at ${where} has no artifact serving: it answered 503 to ${method} of artifact ${JSON.stringify(artifactPath)}. ` +
        'Start the server with --serve-artifacts (the default; not --no-serve-artifacts), or give the experiment an s3:// ' +
        'artifact location and configure tracking.s3.',
      ErrorCodes.ARTIFACT_STORE_UNAVAILABLE,
      { details: { uri: where, method, path: artifactPath, status: 503 } },
    );
  }
  if (response?.status === 404 && method === 'GET') return artifactNotFound(artifactPath, `the artifacts served by ${where}`);
  if (error instanceof MlopsError) return error;
  const route = `mlflow-artifacts/artifacts/${artifactPath}`;
  if (axiosError !== undefined) {
    return mapHttpError(axiosError, {
      method,
      route,
      uri: where,
      notFoundCode: ErrorCodes.ARTIFACT_NOT_FOUND,
      unavailableCode: ErrorCodes.ARTIFACT_STORE_UNAVAILABLE,
      secrets: [...secrets],
    });
  }
  // the socket broke while the body was streaming, after axios had handed over the response
  const code = (error as { code?: unknown } | undefined)?.code;
  const reason = typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
  return new TrackerUnavailableError(
    `Transfer of artifact ${JSON.stringify(artifactPath)} ${method === 'PUT' ? 'to' : 'from'} ${where} broke off: ${reason}. ` +
      'Try again, and check the server if it keeps happening.',
    ErrorCodes.ARTIFACT_STORE_UNAVAILABLE,
    { details: { uri: where, method, path: artifactPath, route } },
  );
}

/** The axios error itself, or one a wrapper kept as `cause`. */
function findAxiosError(error: unknown): AxiosError | undefined {
  if (isAxiosError(error)) return error;
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  return isAxiosError(cause) ? cause : undefined;
}

/** An error answer fetched as a stream still holds the keep-alive socket until read or destroyed. */
function discardBody(data: unknown): void {
  const stream = data as { destroy?: () => void; pipe?: unknown } | undefined;
  if (stream && typeof stream.pipe === 'function' && typeof stream.destroy === 'function') stream.destroy();
}
