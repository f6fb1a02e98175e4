import { ErrorCodes, NotFoundError } from '../../../domain/errors';

/** The registry's not-found errors, worded the same by every adapter that keeps its own state. */
export function modelNotFound(name: string): NotFoundError {
  return new NotFoundError(
    `Registered model ${JSON.stringify(name)} not found. Create it with createRegisteredModel("${name}") first.`,
    ErrorCodes.MODEL_NOT_FOUND,
    { details: { name } },
  );
}

export function versionNotFound(name: string, version: number): NotFoundError {
  return new NotFoundError(`Model version ${name} v${version} not found.`, ErrorCodes.MODEL_VERSION_NOT_FOUND, {
    details: { name, version },
  });
}

export function aliasNotFound(name: string, alias: string): NotFoundError {
  return new NotFoundError(
    `Alias ${JSON.stringify(alias)} is not set on registered model ${JSON.stringify(name)}. Set it with setAlias first.`,
    ErrorCodes.MODEL_ALIAS_NOT_FOUND,
    { details: { name, alias } },
  );
}
