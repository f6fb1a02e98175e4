import { ErrorCodes, MlopsError, NotFoundError, TrackerUnavailableError, UnauthorizedError } from '../../../domain/errors';

/** What an S3 call was doing, for the message. Never holds credentials. */
export interface S3CallContext {
  action: string;
  bucket: string;
  key: string;
  /** The endpoint (or "AWS S3"), without credentials. */
  where: string;
}

interface SdkErrorLike {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Maps an AWS SDK failure to a domain error whose message says what, where and how to fix it. The SDK's
 * own messages never carry the secret key, and neither do ours; the access key id is not echoed either.
 *
 * @example
 * try { await client.send(cmd); } catch (e) { throw s3Failure(e, { action: 'upload', bucket, key, where }); }
 */
export function s3Failure(error: unknown, ctx: S3CallContext): MlopsError {
  if (error instanceof MlopsError) return error;
  const sdk = (error ?? {}) as SdkErrorLike;
  const name = sdk.name ?? sdk.Code ?? '';
  const status = sdk.$metadata?.httpStatusCode;
  const target = `s3://${ctx.bucket}/${ctx.key}`;
  const details = { bucket: ctx.bucket, key: ctx.key, endpoint: ctx.where, errorName: name, status };
  // the SDK error is not kept as `cause`: it drags the raw response along; name, status and code are in details
  const options = { details: { ...details, code: sdk.code } };
  if (name === 'NoSuchBucket') {
    return new NotFoundError(`S3 bucket "${ctx.bucket}" does not exist at ${ctx.where} (${ctx.action} ${target}). Create it, or fix the experiment's artifact location.`, ErrorCodes.NOT_FOUND, options);
  }
  if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) {
    return new NotFoundError(`Artifact ${target} does not exist at ${ctx.where}. List the run's artifacts to see what was logged.`, ErrorCodes.ARTIFACT_NOT_FOUND, options);
  }
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(sdk.message ?? '')) {
    return new UnauthorizedError(
      `No S3 credentials for ${ctx.action} ${target}: set tracking.s3.accessKeyId and secretAccessKey (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).`,
      ErrorCodes.UNAUTHORIZED,
      options,
    );
  }
  if (['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken'].includes(name) || status === 401) {
    return new UnauthorizedError(`${ctx.where} refused the S3 credentials (${name || status}) for ${ctx.action} ${target}. Check the access key id, secret and session token.`, ErrorCodes.UNAUTHORIZED, options);
  }
  if (name === 'AccessDenied' || status === 403) {
    return new UnauthorizedError(`${ctx.where} denied ${ctx.action} ${target} (AccessDenied). Grant the credentials access to the bucket and prefix.`, ErrorCodes.FORBIDDEN, options);
  }
  const reason = sdk.code ?? (name || (status !== undefined ? `HTTP ${status}` : sdk.message ?? 'unknown error'));
  return new TrackerUnavailableError(
    `S3 ${ctx.action} of ${target} at ${ctx.where} failed: ${reason}. Check that the endpoint (tracking.s3.endpointUrl / MLFLOW_S3_ENDPOINT_URL) is reachable.`,
    ErrorCodes.ARTIFACT_STORE_UNAVAILABLE,
    options,
  );
}
