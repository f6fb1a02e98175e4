import { ConfigError, ErrorCodes } from '../../domain/errors';

/**
 * Upper bounds on what a config file may be, documented in the README ("Configuration"). Real configs are
 * a few kilobytes and five levels deep; the bounds stop a wrong file (a data dump, a generated 5,000-deep
 * JSON) before it costs seconds, gigabytes or the stack.
 */
export const CONFIG_LIMITS = {
  /** 1 MiB: a 50 MB file took 18 s and 1.85 GB to parse. */
  maxFileBytes: 1024 * 1024,
  /** Mappings/lists inside each other; the deepest real config (job.variants[i].x) is 4. */
  maxDepth: 64,
} as const;

/**
 * True when `value` nests mappings/lists deeper than `limit`. Iterative, so a 100,000-deep value cannot
 * overflow the stack while being measured.
 *
 * @example exceedsDepth({ a: [[1]] }, 2); // true (mapping → list → list is 3 levels)
 */
export function exceedsDepth(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(node)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/** The one-line refusal of a too-deep config (file, or `--set`). */
export function depthError(file: string): ConfigError {
  return new ConfigError(
    `${file}: config nests mappings/lists more than ${CONFIG_LIMITS.maxDepth} levels deep. Flatten it; configs need a handful of levels.`,
    ErrorCodes.CONFIG_TOO_LARGE,
    { details: { file, maxDepth: CONFIG_LIMITS.maxDepth } },
  );
}
