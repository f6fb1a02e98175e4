import { errorCodeOf } from '../domain/errors';
import { rememberedSecrets } from '../infrastructure/logging/known-secrets';
import { defaultStackPolicy, Redactor, redactionSecretsFromEnv } from '../infrastructure/logging/redaction';
import { escapeControl } from '../infrastructure/logging/terminal-text';

/** The last line never floods a terminal: whatever echoed a 10k-character input is cut here at the latest. */
const MAX_LINE = 2000;

/**
 * Formats an error as the one line the CLI prints: `mlops-kit: <code>: <message>`. Stack traces are
 * shown only with MLOPS_KIT_DEBUG=1, since config and usage errors are the user's, not ours.
 * The line is the last line of defence: known secret values (process env, `.env`, config) and any
 * fragment of them are masked, URL credentials hidden, control characters (ESC …) escaped.
 *
 * @example process.stderr.write(`${formatError(new ConfigError('app.yaml: job: the job section is missing.'))}\n`);
 */
export function formatError(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const code = errorCodeOf(error) ?? 'UNEXPECTED';
  const message = error instanceof Error ? error.message : String(error);
  let line = `mlops-kit: ${code}: ${message.replace(/\s*\n\s*/g, ' ')}`;
  if (line.length > MAX_LINE) line = `${line.slice(0, MAX_LINE)}… (${line.length - MAX_LINE} more characters)`;
  const stack = defaultStackPolicy(env) === 'all' && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  const redactor = new Redactor([...redactionSecretsFromEnv(env), ...rememberedSecrets()]);
  return escapeControl(redactor.text(line + stack), { keepNewlines: true });
}
