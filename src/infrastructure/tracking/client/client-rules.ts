import os from 'node:os';
import { ErrorCodes, ValidationError } from '../../../domain/errors';
import { Limits, assertValidKey } from '../../../domain/model/naming-rules';
import { MlflowTags, type Metric, type MetricOptions, type RunConfig } from '../../../domain/model/run';
import type { ILogger } from '../../../domain/ports/logger';
import type { ParamValue } from '../../../domain/ports/tracker';
import { randomRunName } from '../shared/run-values';

/**
 * The value rules the TrackingClient applies before anything reaches a store, so every backend behaves
 * like an MLflow server: checked keys and run ids, metric defaults, long values cut where MLflow cuts them
 * (MLFLOW_TRUNCATE_LONG_VALUES), the run's initial tags and the user it is recorded under.
 */

/**
 * The OS user, for `user_id` and the `mlflow.user` tag, as MLflow's client finds it: never throws, and
 * answers "unknown" where there is none (some containers have no passwd entry), as MLflow does.
 *
 * @example const userId = options.userId ?? currentUser();
 */
export function currentUser(): string {
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return process.env.USER || process.env.USERNAME || 'unknown';
  }
}

/**
 * Validates a metric and fills step/timestamp defaults: values are numbers (NaN and ±Infinity allowed,
 * booleans not), steps whole numbers, timestamps whole milliseconds since epoch. `checkKey` lets the hot
 * path use a cache of keys already checked.
 *
 * @example makeMetric('loss', 0.3, { step: 2 }, Date.now()) // { key: 'loss', value: 0.3, step: 2, timestamp: … }
 */
export function makeMetric(
  key: string,
  value: number,
  options: MetricOptions | undefined,
  now: number,
  checkKey: (kind: 'metric', key: string) => void = assertValidKey,
): Metric {
  checkKey('metric', key);
  const step = options?.step ?? 0;
  const timestamp = options?.timestamp ?? now;
  if (typeof value !== 'number') invalidMetric(key, `expected a number, got ${typeof value}`);
  if (!Number.isSafeInteger(step)) invalidMetric(key, `step must be a whole number, got ${step}`);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) invalidMetric(key, `timestamp must be milliseconds since epoch, got ${timestamp}`);
  return { key, value, step, timestamp };
}

function invalidMetric(key: string, why: string): never {
  throw new ValidationError(`Invalid value for metric ${JSON.stringify(key)}: ${why}.`, ErrorCodes.VALIDATION, { details: { key } });
}

/**
 * Validates keys and cuts overlong values the way an MLflow server does: params at 6000 characters, tags
 * at `tagLimit` (what the store reported at open: 8000, or 5000 on an MLflow 2.x server). The one
 * truncation-warning rule: the first cut of each kind per client logs one warning; later ones are silent,
 * so a loop logging long values cannot flood the log.
 *
 * @example new ValueRules(logger).param('config', longJson) // first 6000 characters, one warning
 */
export class ValueRules {
  private readonly warned = new Set<'param' | 'tag'>();
  /** Longest tag value kept; set from `StoreTraits.tagValueLimit` when the store opens. */
  tagLimit: number = Limits.MAX_TAG_VALUE_LENGTH;

  constructor(private readonly logger?: ILogger) {}

  param(key: string, value: ParamValue): string {
    assertValidKey('param', key);
    return this.truncate('param', key, String(value), Limits.MAX_PARAM_VALUE_LENGTH);
  }

  tag(key: string, value: string): string {
    assertValidKey('tag', key);
    if (value === undefined || value === null) {
      throw new ValidationError(`Tag ${JSON.stringify(key)} needs a value.`, undefined, { details: { key } });
    }
    return this.truncate('tag', key, String(value), this.tagLimit);
  }

  private truncate(kind: 'param' | 'tag', key: string, value: string, max: number): string {
    if (value.length <= max) return value;
    if (!this.warned.has(kind)) {
      this.warned.add(kind);
      this.logger?.warn(
        `The ${kind} ${JSON.stringify(key)} is ${value.length} characters; MLflow keeps at most ${max}, so it was truncated. ` +
          `Further truncated ${kind}s are not reported. Log long text as an artifact instead.`,
        { kind, key, length: value.length, max },
      );
    }
    return value.slice(0, max);
  }
}

/**
 * The tags a new run starts with, as MLflow sets them: the caller's tags (checked), `mlflow.runName`
 * (the run name, or a random one), the description as `mlflow.note.content`, `mlflow.parentRunId` for a
 * nested run and `mlflow.user` unless the caller set it.
 *
 * @example const { tags, runName } = initialRunTags({ runName: 'baseline', parentRunId }, rules, 'ana');
 */
export function initialRunTags(config: RunConfig, rules: ValueRules, userId: string): { tags: Map<string, string>; runName: string } {
  const tags = new Map<string, string>();
  for (const [key, value] of Object.entries(config.tags ?? {})) tags.set(key, rules.tag(key, value));
  const runName = config.runName ?? tags.get(MlflowTags.RUN_NAME) ?? randomRunName();
  tags.set(MlflowTags.RUN_NAME, runName);
  if (config.description !== undefined) tags.set(MlflowTags.NOTE, rules.tag(MlflowTags.NOTE, config.description));
  if (config.parentRunId !== undefined) tags.set(MlflowTags.PARENT_RUN_ID, checkRunId(config.parentRunId));
  if (!tags.has(MlflowTags.USER)) tags.set(MlflowTags.USER, userId);
  return { tags, runName };
}

/**
 * Run ids are opaque, but never empty and never hold characters that would change a route or a path.
 *
 * @example await store.getRun(checkRunId(runId));
 */
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
  private readonly known = new Set<string>();
  private lastRunId = '';

  constructor(private readonly limit = 10_000) {}

  metricKey(key: string): void {
    if (this.known.has(key)) return;
    assertValidKey('metric', key);
    if (this.known.size < this.limit) this.known.add(key);
  }

  runId(runId: string): string {
    if (runId === this.lastRunId) return runId;
    checkRunId(runId);
    this.lastRunId = runId;
    return runId;
  }
}
