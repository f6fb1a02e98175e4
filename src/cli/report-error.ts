import { MlopsError } from '../domain/errors';
import { Redactor, redactionSecretsFromEnv } from '../infrastructure/logging/redaction';

/**
 * Formats an error as the one line the CLI prints: `mlops-kit: <code>: <message>`. Stack traces are
 * shown only with MLOPS_KIT_DEBUG=1, since config and usage errors are the user's, not ours.
 */
export function formatError(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const code = error instanceof MlopsError ? error.code : 'UNEXPECTED';
  const message = error instanceof Error ? error.message : String(error);
  const line = `mlops-kit: ${code}: ${message.replace(/\s*\n\s*/g, ' ')}`;
  const stack = env.MLOPS_KIT_DEBUG && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  // the last line of defence: whatever an error carries, known secret values and URL credentials never print
  return new Redactor(redactionSecretsFromEnv(env)).text(line + stack);
}
