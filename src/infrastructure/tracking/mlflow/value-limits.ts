import { Limits } from '../../../domain/model/naming-rules';
import type { ILogger } from '../../../domain/ports/logger';

type Kind = 'param' | 'tag';

const MAX_LENGTH: Record<Kind, number> = { param: Limits.MAX_PARAM_VALUE_LENGTH, tag: Limits.MAX_TAG_VALUE_LENGTH };

/** Kinds already warned about in this process: a loop logging long values must not flood the log. */
const warned = new Set<Kind>();

/**
 * Cuts a param value to 6000 characters or a tag value to 8000, as the MLflow server would
 * (MLFLOW_TRUNCATE_LONG_VALUES), but on the client so the batch stays small and the cut is visible:
 * the first truncation of each kind per process logs one warning.
 *
 * @example truncateValue('param', 'config', longJson, logger); // first 6000 characters
 */
export function truncateValue(kind: Kind, key: string, value: string, logger?: ILogger): string {
  const max = MAX_LENGTH[kind];
  if (value.length <= max) return value;
  if (!warned.has(kind)) {
    warned.add(kind);
    logger?.warn(
      `MLflow ${kind} "${key}" is ${value.length} characters; MLflow keeps at most ${max}, so it was truncated. ` +
        `Further truncated ${kind}s are not reported. Log long text as an artifact instead.`,
      { kind, key, length: value.length, max },
    );
  }
  return value.slice(0, max);
}

/** Forgets which kinds were warned about (tests only). */
export function resetTruncationWarnings(): void {
  warned.clear();
}
