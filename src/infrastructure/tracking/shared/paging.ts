import { ValidationError } from '../../../domain/errors';
import type { Page } from '../../../domain/model/run';

/**
 * Offset paging with MLflow's token format (base64 of `{"offset": n}`), so a token from one page
 * is only good for the same query, exactly as with the file store.
 */
export function paginate<T>(items: T[], maxResults: number | undefined, pageToken: string | undefined, limits: { default: number; max: number }): Page<T> {
  const size = maxResults ?? limits.default;
  if (!Number.isSafeInteger(size) || size < 1 || size > limits.max) {
    throw new ValidationError(`maxResults must be an integer between 1 and ${limits.max}, got ${maxResults}.`, undefined, {
      details: { maxResults },
    });
  }
  const offset = pageToken ? decodeOffset(pageToken) : 0;
  const slice = items.slice(offset, offset + size);
  const next = offset + size < items.length ? encodeOffset(offset + size) : undefined;
  return next === undefined ? { items: slice } : { items: slice, nextPageToken: next };
}

function encodeOffset(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64');
}

function decodeOffset(token: string): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    const offset = (parsed as { offset?: unknown }).offset;
    if (typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through to the error below
  }
  throw new ValidationError(`Invalid page token ${JSON.stringify(token)}: pass the nextPageToken of the previous page unchanged.`);
}

/** SQL LIKE (`%` any run, `_` one char), case-sensitive unless `ignoreCase` (ILIKE). */
export function sqlLike(value: string, pattern: string, ignoreCase: boolean): boolean {
  const source = pattern
    .split('')
    .map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'si' : 's').test(value);
}
