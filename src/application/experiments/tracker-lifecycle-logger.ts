import { Limits } from '../../domain/model/naming-rules';
import type { RunStatus } from '../../domain/model/run';
import type { BranchStatus, ILifecycleLogger } from '../../domain/ports/lifecycle-logger';
import type { ITracker, ParamValue } from '../../domain/ports/tracker';

export interface TrackerLifecycleOptions {
  /** The experiment's parent run: every branch becomes a nested run under it (tag `mlflow.parentRunId`). */
  parentRunId?: string;
  /** Where branch runs go; defaults to the tracker's experiment. */
  experimentId?: string;
  /**
   * The job's abort signal. The moment it aborts, every branch run still open is ended KILLED (first,
   * before the branches notice, so a process cut short right after leaves none RUNNING), and a branch
   * that ends `failed` afterwards stays KILLED: it was stopped, not broken.
   */
  signal?: AbortSignal;
}

const END_STATUS: Partial<Record<BranchStatus, RunStatus>> = { success: 'FINISHED', failed: 'FAILED', skipped: 'KILLED' };

/**
 * Records each branch as an MLflow run: params are the branch config, the status is a tag while it
 * runs and ends the run (success → FINISHED, failed → FAILED, skipped → KILLED) with the branch's end
 * time; a failure adds tags `exception.type`, `exception.message` and `exception.stack`. With the job's
 * `signal`, an interrupt ends the open branch runs KILLED at once.
 *
 * @example
 * const lifecycle = new TrackerLifecycleLogger(tracker, { parentRunId: parent.runId });
 * await runBranches(variants, fn, { lifecycleLogger: lifecycle });
 */
export class TrackerLifecycleLogger implements ILifecycleLogger {
  /** Branch runs created and not ended yet. */
  private readonly open = new Set<string>();
  /** Runs ended KILLED by the interrupt, so a late `failed` status does not overwrite it. */
  private readonly killed = new Set<string>();

  constructor(
    private readonly tracker: ITracker,
    private readonly options: TrackerLifecycleOptions = {},
  ) {
    options.signal?.addEventListener('abort', () => this.killOpenRuns(), { once: true });
  }

  async startRun(config: { configId: string; name?: string; config: Record<string, unknown> }): Promise<string> {
    const run = await this.tracker.createRun({
      ...(this.options.experimentId !== undefined && { experimentId: this.options.experimentId }),
      ...(this.options.parentRunId !== undefined && { parentRunId: this.options.parentRunId }),
      runName: config.name ?? `branch-${config.configId}`,
      tags: { 'branch.configId': config.configId, 'branch.status': 'pending' },
    });
    this.open.add(run.runId);
    return run.runId;
  }

  async logParams(runId: string, params: Record<string, unknown>): Promise<void> {
    const values: Record<string, ParamValue> = {};
    for (const [key, value] of Object.entries(params)) values[key] = toParamValue(value);
    if (Object.keys(values).length > 0) await this.tracker.logParams(runId, values);
  }

  async logStatus(runId: string, status: BranchStatus, _startTs: number, endTs: number | undefined, retryCount: number): Promise<void> {
    await this.tracker.setTags(runId, { 'branch.status': status, 'branch.retryCount': String(retryCount) });
    const interrupted = this.options.signal?.aborted === true && status === 'failed';
    const end = interrupted ? 'KILLED' : END_STATUS[status];
    if (!end || this.killed.has(runId)) return;
    this.open.delete(runId);
    await this.tracker.endRun(runId, end, endTs);
  }

  /** On interrupt: end every open branch run KILLED, all at once. */
  private killOpenRuns(): void {
    for (const runId of this.open) {
      this.killed.add(runId);
      void this.tracker.endRun(runId, 'KILLED').catch(() => undefined);
    }
    this.open.clear();
  }

  async logException(runId: string, type: string, message: string, stack?: string): Promise<void> {
    // tags live on a shared server: an error that quotes a URL with credentials must not carry them there
    const tags: Record<string, string> = {
      'exception.type': truncate(type, Limits.MAX_TAG_VALUE_LENGTH),
      'exception.message': truncate(hideUrlCredentials(message), Limits.MAX_TAG_VALUE_LENGTH),
    };
    if (stack !== undefined) tags['exception.stack'] = truncate(hideUrlCredentials(stack), Limits.MAX_TAG_VALUE_LENGTH);
    await this.tracker.setTags(runId, tags);
  }
}

/** `scheme://user:pass@host` → `scheme://***@host` (to the last "@": a password may hold "/" or "@"). */
function hideUrlCredentials(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)\S*@/gi, '$1***@');
}

/** Strings, numbers and booleans as they are; anything else as JSON, cut to MLflow's param length. */
function toParamValue(value: unknown): ParamValue {
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return truncate(text, Limits.MAX_PARAM_VALUE_LENGTH);
}

/** Keeps the head of an overlong value and says it was cut, instead of letting the server reject or truncate it silently. */
function truncate(text: string, max: number): string {
  const marker = '…[truncated]';
  return text.length <= max ? text : text.slice(0, max - marker.length) + marker;
}
