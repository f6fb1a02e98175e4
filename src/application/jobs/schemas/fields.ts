import { z } from 'zod';

/**
 * Field builders shared by the job schemas and the config sections (infrastructure/config/schema.ts). Values that came through `${VAR}` are strings,
 * so booleans and numbers accept strings that parse cleanly ("true", "3", "0.5") and nothing else;
 * a blank string (`${VAR:-}`) counts as "not set", so the field's default or optionality applies.
 */

const BOOLEAN_WORDS: Record<string, boolean> = {
  true: true, false: false, yes: true, no: false, on: true, off: false, '1': true, '0': false,
};
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

const isBlank = (value: unknown): boolean => typeof value === 'string' && value.trim() === '';

/** "true"/"false" (also yes/no, on/off, 1/0, any case) → boolean; anything else is left for zod to reject. */
export function toBoolean(value: unknown): unknown {
  if (isBlank(value)) return undefined;
  if (typeof value !== 'string') return value;
  return BOOLEAN_WORDS[value.trim().toLowerCase()] ?? value;
}

/** "3", "-0.5", "1e3" → number; "3abc", "0x10", "NaN" are left as strings for zod to reject. */
export function toNumber(value: unknown): unknown {
  if (isBlank(value)) return undefined;
  if (typeof value !== 'string') return value;
  return NUMBER.test(value.trim()) ? Number(value.trim()) : value;
}

/** Fields that accept their type or a string to coerce: the JSON Schema lets `${VAR}` text through there. */
const coercing = new WeakSet<object>();

/** True for fields built by booleanField/numberField (used by the JSON Schema export). */
export function acceptsSubstitutedText(schema: object): boolean {
  return coercing.has(schema);
}

// The builders below return their `inner` schema's TYPE: code that writes a config inline is held to
// the real types (`rows: 'x'` does not compile), while at run time the field also takes the text a
// `${VAR}` expanded to. The static type is stricter than the runtime check, never looser.

/** A boolean field; pass `z.boolean().default(x)` or `.optional()` (described there) as `inner`. */
export function booleanField<T extends z.ZodType>(inner: T): T {
  const field = z.preprocess(toBoolean, inner);
  coercing.add(field);
  return field as unknown as T;
}

/** A numeric field; pass e.g. `z.number().int().min(0).default(3)` (described there) as `inner`. */
export function numberField<T extends z.ZodType>(inner: T): T {
  const field = z.preprocess(toNumber, inner);
  coercing.add(field);
  return field as unknown as T;
}

/** An optional string: a blank value (`${VAR:-}`) means "not set". */
export function optionalText(description?: string): z.ZodOptional<z.ZodString> {
  const inner = z.string().optional();
  return z.preprocess((v) => (isBlank(v) ? undefined : v), description ? inner.describe(description) : inner) as unknown as z.ZodOptional<z.ZodString>;
}

/** A required, non-empty string. */
export function requiredText(description?: string) {
  const inner = z.string().min(1, { message: 'must not be empty' });
  return description ? inner.describe(description) : inner;
}

/** A string with a default; a blank value falls back to the default too. */
export function textWithDefault(fallback: string, description?: string): z.ZodDefault<z.ZodString> {
  const inner = z.string().min(1).default(fallback);
  return z.preprocess((v) => (isBlank(v) ? undefined : v), description ? inner.describe(description) : inner) as unknown as z.ZodDefault<z.ZodString>;
}
