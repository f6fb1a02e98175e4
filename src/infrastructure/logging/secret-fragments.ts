/** A stand-alone piece of a secret this long or longer is hidden. */
export const MIN_FRAGMENT_LENGTH = 4;
/** A piece this long is hidden even when glued to other text (`PWSECRETzqXYZ`). */
export const GLUED_FRAGMENT_LENGTH = 8;

// what ends a "word" in messages: spaces, quotes, brackets and the separators of URLs, pairs and lists
const TOKEN = /[^\s"'`,;:()[\]{}<>@=&?#/\\|]+/g;

/**
 * Finds pieces of known secrets in text. Whole secrets are easy (`includes`); pieces are what leak in
 * practice, because parsers and servers quote the START of a body (`"PWSECRETzq"... is not valid JSON`)
 * or cut a value short. A word of the text (split at spaces, quotes, brackets, `:/@=&?#,;|\`) is masked
 * whole when
 * - it is 4+ characters and lies inside a secret (a quoted or cut-off piece), or
 * - it contains 8+ consecutive characters of a secret (a piece glued to other text).
 * Shorter glued overlaps are left alone on purpose: a passphrase made of words would otherwise mask
 * those words (`access_token`, a host name) in every line.
 *
 * @example
 * new SecretFragments(['PWSECRETzq-9f8e7d']).mask('Unexpected token, "PWSECRETzq"... is not valid JSON', '***');
 * // 'Unexpected token, "***"... is not valid JSON'
 */
export class SecretFragments {
  private readonly secrets: readonly string[];
  private readonly glued = new Set<string>();
  /** Every 4-character window of every secret: a word whose start is not one cannot lie inside a secret. */
  private readonly starts = new Set<string>();
  private readonly longest: number;

  constructor(secrets: Iterable<string>) {
    this.secrets = [...secrets].filter((s) => s.length >= MIN_FRAGMENT_LENGTH);
    this.longest = Math.max(0, ...this.secrets.map((s) => s.length));
    for (const secret of this.secrets) {
      for (let i = 0; i + MIN_FRAGMENT_LENGTH <= secret.length; i++) this.starts.add(secret.slice(i, i + MIN_FRAGMENT_LENGTH));
      for (let i = 0; i + GLUED_FRAGMENT_LENGTH <= secret.length; i++) this.glued.add(secret.slice(i, i + GLUED_FRAGMENT_LENGTH));
    }
  }

  /** `text` with every word that carries a secret fragment replaced by `mask`. */
  mask(text: string, mask: string): string {
    if (this.secrets.length === 0 || text.length < MIN_FRAGMENT_LENGTH) return text;
    return text.replace(TOKEN, (word) => (word.length >= MIN_FRAGMENT_LENGTH && word !== mask && this.carriesFragment(word) ? mask : word));
  }

  private carriesFragment(word: string): boolean {
    // cheap rejections first: this runs on every word of every log line
    const inside = word.length <= this.longest && this.starts.has(word.slice(0, MIN_FRAGMENT_LENGTH));
    if (inside && this.secrets.some((secret) => secret.includes(word))) return true;
    if (word.length < GLUED_FRAGMENT_LENGTH) return false;
    // an 8-character piece always covers a 4-character window starting at a multiple of 4: probe those
    // first, and look at the 8-character windows around a hit only
    for (let probe = 0; probe + MIN_FRAGMENT_LENGTH <= word.length; probe += MIN_FRAGMENT_LENGTH) {
      if (!this.starts.has(word.slice(probe, probe + MIN_FRAGMENT_LENGTH))) continue;
      const from = Math.max(0, probe - (GLUED_FRAGMENT_LENGTH - MIN_FRAGMENT_LENGTH));
      for (let i = from; i <= probe && i + GLUED_FRAGMENT_LENGTH <= word.length; i++) {
        if (this.glued.has(word.slice(i, i + GLUED_FRAGMENT_LENGTH))) return true;
      }
    }
    return false;
  }
}
