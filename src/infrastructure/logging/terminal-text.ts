// C0 controls except tab/newline, DEL, and C1 controls (\u009b is a one-byte CSI on some terminals)
/* eslint-disable no-control-regex -- matching control characters is the point */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const CONTROL_OR_NEWLINE = /[\u0000-\u0008\n\u000b-\u001f\u007f-\u009f]/g;
/* eslint-enable no-control-regex */

/**
 * Escapes control characters in text bound for a terminal, so input echoed in a message (an unknown key
 * holding ESC, a model name with NUL) can never move the cursor, recolour or retitle the terminal:
 * ESC becomes `\u001b`. Tabs stay; newlines stay only with `keepNewlines`.
 *
 * @example escapeControl('key\u001b[2J'); // 'key\\u001b[2J'
 */
export function escapeControl(text: string, options: { keepNewlines?: boolean } = {}): string {
  const pattern = options.keepNewlines ? CONTROL : CONTROL_OR_NEWLINE;
  return text.replace(pattern, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A piece of user input fit to echo in a one-line message: control characters escaped and, past `max`
 * characters, cut with a count of what was left out, so a 10k-character name is never printed whole.
 *
 * @example quoteInput('x'.repeat(10_000)); // '"xxxx…" (10000 characters)'
 */
export function quoteInput(value: string, max = 60): string {
  const cut = value.length > max ? value.slice(0, max) : value;
  const quoted = JSON.stringify(cut);
  return value.length > max ? `${quoted.slice(0, -1)}…" (${value.length} characters)` : quoted;
}
