/** Pieces of a secret this long or longer are hidden; shorter ones are too common to mean anything. */
export const MIN_FRAGMENT_LENGTH = 4;

/**
 * Finds pieces of known secrets in text: any run of MIN_FRAGMENT_LENGTH or more characters that is part of
 * a secret. Whole secrets are easy (`includes`); pieces are what leak in practice, because parsers and
 * servers quote the START of a body (`"PWSECRETzq"... is not valid JSON`) or cut a value short.
 *
 * Every window of MIN_FRAGMENT_LENGTH characters of every secret goes into a set; a scan marks each window of
 * the text found there, and marked windows that touch or overlap are masked as one span. Over-masking
 * (a common word that happens to sit inside a secret) is accepted: a leak is not.
 *
 * @example
 * new SecretFragments(['PWSECRETzq-9f8e7d']).mask('Unexpected token, "PWSECRETzq"... is not valid JSON', '***');
 * // 'Unexpected token, "***"... is not valid JSON'
 */
export class SecretFragments {
  private readonly windows = new Set<string>();

  constructor(secrets: Iterable<string>) {
    for (const secret of secrets) {
      for (let i = 0; i + MIN_FRAGMENT_LENGTH <= secret.length; i++) this.windows.add(secret.slice(i, i + MIN_FRAGMENT_LENGTH));
    }
  }

  /** True when no secret was long enough to have a fragment (the scan is skipped). */
  get empty(): boolean {
    return this.windows.size === 0;
  }

  /** `text` with every secret fragment replaced by `mask`. */
  mask(text: string, mask: string): string {
    if (this.windows.size === 0 || text.length < MIN_FRAGMENT_LENGTH) return text;
    let out = '';
    let copiedTo = 0;
    let spanStart = -1;
    let spanEnd = -1;
    for (let i = 0; i + MIN_FRAGMENT_LENGTH <= text.length; i++) {
      if (!this.windows.has(text.slice(i, i + MIN_FRAGMENT_LENGTH))) continue;
      if (spanStart >= 0 && i <= spanEnd) {
        spanEnd = i + MIN_FRAGMENT_LENGTH;
        continue;
      }
      if (spanStart >= 0) {
        out += text.slice(copiedTo, spanStart) + mask;
        copiedTo = spanEnd;
      }
      spanStart = i;
      spanEnd = i + MIN_FRAGMENT_LENGTH;
    }
    if (spanStart < 0) return text;
    out += text.slice(copiedTo, spanStart) + mask;
    return out + text.slice(spanEnd);
  }
}
