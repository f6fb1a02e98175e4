import { UsageError } from '../../domain/errors';

/** Parses a whole-number flag (`--concurrency 2`); a bad value is a UsageError naming the flag (exit 2). */
export function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag}: "${value}" is not a whole number >= 1.`);
  return n;
}
