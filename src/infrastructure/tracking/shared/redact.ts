import { maskUrlCredentials } from '../../logging/url-credentials';

const MASK = '***';

/**
 * Scrubs secrets from text that will reach a message or log line: every known secret value,
 * `user:pass@` in URIs, and `Basic …` / `Bearer …` credentials a server or proxy may echo back.
 *
 * @example redactText('http://bob:hunter2@host failed', ['hunter2']); // 'http://***@host failed'
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = maskUrlCredentials(text, MASK, true)
    // credentials contain a digit or base64 padding/symbols; prose such as "Basic authentication" does not
    .replace(/\b(Basic|Bearer)\s+(?=[A-Za-z0-9._~+/=-]*[0-9=+/])[A-Za-z0-9._~+/=-]{6,}/g, `$1 ${MASK}`);
  // longest first, so a secret that contains another is masked whole
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 3) out = out.split(secret).join(MASK);
  }
  return out;
}
