import { formatError } from '../../../src/cli/report-error';
import { ConfigError, RemoteError } from '../../../src/domain/errors';
import { rememberSecrets } from '../../../src/infrastructure/logging/known-secrets';
import { Redactor } from '../../../src/infrastructure/logging/redaction';
import { SecretFragments } from '../../../src/infrastructure/logging/secret-fragments';
import { escapeControl, quoteInput } from '../../../src/infrastructure/logging/terminal-text';

const SECRET = 'PWSECRETzq-9f8e7d6c';

describe('SecretFragments: pieces of secrets, not only whole ones (issue #11)', () => {
  const fragments = new SecretFragments([SECRET]);

  it("masks the quoted start of a body in JSON.parse's message", () => {
    let message = '';
    try {
      JSON.parse(`${SECRET} and more`);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('PWSECRETzq'); // what V8 quotes: the first 10 characters
    expect(fragments.mask(message, '***')).not.toMatch(/PWSE|zq-9/);
  });

  it.each([['"PWSE"'], ['(9f8e7d)'], ['cut: PWSECRETzq-9f…'], ['glued: xxPWSECRETzqyy']])('masks %s', (text) => {
    const masked = fragments.mask(text, '***');
    for (let i = 0; i + 4 <= SECRET.length; i++) expect(masked).not.toContain(SECRET.slice(i, i + 4));
  });

  it('leaves words that merely share a few letters with a secret readable', () => {
    const passphrase = new SecretFragments(['correct-horse-token-staple']);
    expect(passphrase.mask('refresh access_token at https://mlflow.example.com/api', '***')).toBe('refresh access_token at https://mlflow.example.com/api');
    expect(passphrase.mask('the horse is here', '***')).toBe('the *** is here'); // a stand-alone piece is a piece
  });

  it('the Redactor applies it everywhere it applies whole secrets (messages, fields, errors)', () => {
    const r = new Redactor([SECRET]);
    const error = new RemoteError(`Unexpected token 'P', "PWSECRETzq"... is not valid JSON`);
    const out = r.fields({ error, note: 'begins "PWSECRETzq"' });
    expect(JSON.stringify(out)).not.toContain('PWSECRETzq');
  });
});

describe('formatError: the CLI last line', () => {
  it('masks secrets remembered from .env and config, and fragments of them', () => {
    rememberSecrets(['dotenv-only-Xk42pQ']);
    const line = formatError(new RemoteError('server said "dotenv-onl"... and dotenv-only-Xk42pQ'), {});
    expect(line).not.toMatch(/dotenv-onl|Xk42pQ/);
  });

  it('escapes control characters and cuts a flood of input', () => {
    const line = formatError(new ConfigError(`a.yaml: job.x\u001b[2J: ${'y'.repeat(5000)}`), {});
    expect(line).not.toContain('\u001b');
    expect(line).toContain('\\u001b[2J');
    expect(line.length).toBeLessThan(2100);
  });

  it('prints the stack only with MLOPS_KIT_DEBUG=1', () => {
    const error = new ConfigError('a.yaml: job: missing.');
    expect(formatError(error, {})).not.toContain('\n');
    expect(formatError(error, { MLOPS_KIT_DEBUG: '1' })).toMatch(/\n\s+at /);
  });
});

describe('terminal text helpers', () => {
  it('escapeControl keeps tabs and (optionally) newlines, escapes ESC, NUL, DEL and C1', () => {
    expect(escapeControl('a\tb\u0000c\u007fd\u009be')).toBe('a\tb\\u0000c\\u007fd\\u009be');
    expect(escapeControl('a\nb')).toBe('a\\u000ab');
    expect(escapeControl('a\nb', { keepNewlines: true })).toBe('a\nb');
  });

  it('quoteInput cuts long input and says how long it was', () => {
    expect(quoteInput('x'.repeat(10_000))).toBe(`"${'x'.repeat(60)}…" (10000 characters)`);
    expect(quoteInput('a\u001bb')).toBe('"a\\u001bb"');
  });
});
