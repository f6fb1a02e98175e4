import { ErrorCodes, ValidationError } from '../../../domain/errors';

/**
 * Artifact paths are `/`-separated and relative to a run's artifact root. They are normalised here once,
 * so every store rejects the same escapes (`..`) and accepts the same spellings (`a\b`, `/a/`, `a//b`).
 *
 * @example
 * normalizeArtifactPath('/plots//loss.png/') // 'plots/loss.png'
 * normalizeArtifactPath(undefined)           // '' (the root)
 */
export function normalizeArtifactPath(path: string | undefined): string {
  if (path === undefined || path === null) return '';
  if (typeof path !== 'string' || path.includes('\0')) throw invalidPath(String(path));
  const parts = path.replace(/\\/g, '/').split('/').filter((part) => part !== '' && part !== '.');
  if (parts.some((part) => part === '..')) throw invalidPath(path);
  return parts.join('/');
}

/** Joins normalised path pieces, skipping empty ones: `joinArtifactPath('', 'a', 'b')` → `a/b`. */
export function joinArtifactPath(...parts: string[]): string {
  return parts.filter((part) => part !== '').join('/');
}

/** The last segment of a normalised path (`a/b.txt` → `b.txt`). */
export function artifactBasename(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut < 0 ? path : path.slice(cut + 1);
}

function invalidPath(path: string): ValidationError {
  return new ValidationError(
    `Invalid artifact path ${JSON.stringify(path)}: it must be relative to the run's artifact root and may not contain ".." ` +
      'or NUL characters. Use a path such as "model" or "plots/loss.png".',
    ErrorCodes.VALIDATION,
    { details: { path } },
  );
}
