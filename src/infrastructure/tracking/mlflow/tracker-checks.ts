import { ErrorCodes, ValidationError } from '../../../domain/errors';
import { assertValidKey } from '../../../domain/model/naming-rules';

/**
 * Call-site checks that MLflow would otherwise answer with a 400 long after the call returned (logging
 * is buffered), when the stack no longer points at the mistake.
 */

/** Run ids are opaque to us, but never empty and never contain characters that would change the route. */
export function checkRunId(runId: string): string {
  if (typeof runId !== 'string' || !/^[\w-]+$/.test(runId)) {
    throw new ValidationError(`Invalid run id ${JSON.stringify(runId)}: pass the runId returned by createRun.`, ErrorCodes.VALIDATION, {
      details: { runId: String(runId) },
    });
  }
  return runId;
}

/**
 * Remembers keys that passed `assertValidKey`, so the hot path (a training loop logging the same few
 * keys millions of times) skips the regex. Bounded: past `limit` distinct keys it stops remembering.
 *
 * @example const checks = new ValidKeyCache(); checks.key('metric', 'loss'); checks.runId(runId);
 */
export class ValidKeyCache {
  private readonly known = { metric: new Set<string>(), param: new Set<string>(), tag: new Set<string>() };
  private lastRunId = '';

  constructor(private readonly limit = 10_000) {}

  key(kind: 'metric' | 'param' | 'tag', key: string): void {
    const known = this.known[kind];
    if (known.has(key)) return;
    assertValidKey(kind, key);
    if (known.size < this.limit) known.add(key);
  }

  runId(runId: string): string {
    if (runId === this.lastRunId) return runId;
    checkRunId(runId);
    this.lastRunId = runId;
    return runId;
  }
}
