import { randomBytes, randomInt } from 'node:crypto';
import os from 'node:os';
import { ConflictError, ErrorCodes, ValidationError } from '../../../domain/errors';
import { MlflowTags, type Metric, type MetricOptions, type RunConfig } from '../../../domain/model/run';
import { Limits, assertValidKey } from '../../../domain/model/naming-rules';
import type { ILogger } from '../../../domain/ports/logger';
import type { ParamValue } from '../../../domain/ports/tracker';

/**
 * Value rules every tracker shares (MLflow, memory, local), so all behave like an MLflow server:
 * 32-hex run ids, generated run names, metric checks, and long values truncated the way MLflow does
 * (MLFLOW_TRUNCATE_LONG_VALUES) with one warning per truncated value.
 */

/** A run id as MLflow makes them: uuid4 hex without dashes (32 lowercase hex chars). */
export function newRunId(): string {
  const bytes = randomBytes(16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return bytes.toString('hex');
}

const ADJECTIVES = ['bright', 'calm', 'clever', 'bold', 'gentle', 'swift', 'quiet', 'brave', 'merry', 'sunny', 'wise', 'keen'];
const NOUNS = ['owl', 'fox', 'lark', 'otter', 'hare', 'wren', 'seal', 'crane', 'lynx', 'finch', 'moth', 'trout'];

/** A readable default run name (`bright-owl-123`), like the names MLflow generates. */
export function randomRunName(): string {
  const pick = (list: string[]) => list[randomInt(list.length)]!;
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${randomInt(1000)}`;
}

/**
 * The OS user, for `user_id` and the `mlflow.user` tag, as MLflow's client finds it: never throws, and
 * answers "unknown" where there is none (some containers have no passwd entry), as MLflow does.
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
 * booleans not), steps whole numbers, timestamps whole milliseconds since epoch. `checkKey` lets a hot
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

/** MLflow's "latest" value of a metric: the greatest (step, timestamp, value); later logging wins a tie. */
export function isLaterMetric(candidate: Metric, current: Metric | undefined): boolean {
  if (current === undefined) return true;
  if (candidate.step !== current.step) return candidate.step > current.step;
  if (candidate.timestamp !== current.timestamp) return candidate.timestamp > current.timestamp;
  if (Number.isNaN(current.value)) return true;
  return !(candidate.value < current.value);
}

/**
 * Validates keys and cuts overlong values the way an MLflow server does (params 6000 characters; tags
 * 8000, or 5000 on an MLflow 2.x server: the MLflow tracker sets `tagLimit` from the server it reached).
 * The one truncation-warning rule: the first cut of each kind per tracker logs one warning; later ones
 * are silent, so a loop logging long values cannot flood the log.
 *
 * @example new ValueRules(logger).param('config', longJson) // first 6000 characters, one warning
 */
export class ValueRules {
  private readonly warned = new Set<'param' | 'tag'>();
  /** Longest tag value kept; the MLflow tracker lowers it to 5000 for a 2.x server. */
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
  if (config.parentRunId !== undefined) tags.set(MlflowTags.PARENT_RUN_ID, config.parentRunId);
  if (!tags.has(MlflowTags.USER)) tags.set(MlflowTags.USER, userId);
  return { tags, runName };
}

/** Params are write-once: the same value again is fine, another value is a ConflictError. */
export function assertParamUnchanged(runId: string, key: string, existing: string | undefined, value: string): void {
  if (existing === undefined || existing === value) return;
  throw new ConflictError(
    `Param ${JSON.stringify(key)} of run ${runId} is already ${JSON.stringify(existing)}; params are write-once and cannot change to ${JSON.stringify(value)}. Log it under another key or start a new run.`,
    ErrorCodes.CONFLICT,
    { details: { runId, key } },
  );
}
