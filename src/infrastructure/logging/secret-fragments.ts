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

  constructor(secrets: Iterable<string>) {
    this.secrets = [...secrets].filter((s) => s.length >= MIN_FRAGMENT_LENGTH);
    for (const secret of this.secrets) {
      for (let i = 0; i + GLUED_FRAGMENT_LENGTH <= secret.length; i++) this.glued.add(secret.slice(i, i + GLUED_FRAGMENT_LENGTH));
    }
  }

  /** `text` with every word that carries a secret fragment replaced by `mask`. */
  mask(text: string, mask: string): string {
    if (this.secrets.length === 0 || text.length < MIN_FRAGMENT_LENGTH) return text;
    return text.replace(TOKEN, (word) => (word.length >= MIN_FRAGMENT_LENGTH && word !== mask && this.carriesFragment(word) ? mask : word));
  }

  private carriesFragment(word: string): boolean {
    if (this.secrets.some((secret) => secret.includes(word))) return true;
    for (let i = 0; i + GLUED_FRAGMENT_LENGTH <= word.length; i++) if (this.glued.has(word.slice(i, i + GLUED_FRAGMENT_LENGTH))) return true;
    return false;
  }
}
