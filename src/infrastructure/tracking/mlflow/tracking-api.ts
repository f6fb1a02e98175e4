import { ConflictError, ErrorCodes, NotFoundError, ValidationError } from '../../../domain/errors';
import { parseRunInputs, parseRunOutputs } from './logged-model-mapping';
import type { Experiment } from '../../../domain/model/experiment';
import type { Metric, Page, Run, RunInfo, RunStatus, SearchRunsQuery } from '../../../domain/model/run';
import { createRunOnce } from './idempotent-create';
import { serializeLogBatch } from './log-batch-json';
import type { LogBatch } from '../shared/log-batch';
import {
  toExperiment,
  toMetric,
  toPairs,
  toRun,
  toRunInfo,
  type WireExperiment,
  type WireMetric,
  type WireRun,
  type WireRunInfo,
} from './proto-mapping';
import type { MlflowRestClient } from './rest-client';

/** Page size for metrics/get-history; MLflow's server accepts up to 25000. */
const HISTORY_PAGE_SIZE = 25_000;

export interface CreateRunRequest {
  experimentId: string;
  runName?: string;
  startTime: number;
  tags: Record<string, string>;
}

/**
 * The tracking routes of MLflow's REST API, typed: one method per route, wire ↔ domain mapping, and
 * the right not-found code per resource. Holds no state: MlflowTrackingStore persists through it, the
 * batching layer buffers and the TrackingClient owns the rules.
 *
 * @example
 * const api = new TrackingApi(client);
 * const id = await api.getOrCreateExperiment('churn');
 */
export class TrackingApi {
  constructor(private readonly client: MlflowRestClient) {}

  async getExperiment(experimentId: string): Promise<Experiment> {
    const answer = await this.client.request<{ experiment: WireExperiment }>('GET', 'experiments/get', {
      expect: 'experiment',
      query: { experiment_id: experimentId },
      notFoundCode: ErrorCodes.EXPERIMENT_NOT_FOUND,
    });
    return toExperiment(answer.experiment);
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    try {
      const answer = await this.client.request<{ experiment: WireExperiment }>('GET', 'experiments/get-by-name', {
        expect: 'experiment',
        query: { experiment_name: name },
        notFoundCode: ErrorCodes.EXPERIMENT_NOT_FOUND,
      });
      return toExperiment(answer.experiment);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /**
   * get-by-name, else create; when another process creates it between the two calls, the create answers
   * RESOURCE_ALREADY_EXISTS and the name is looked up again, so two racing callers get the same id.
   */
  async getOrCreateExperiment(name: string, tags?: Record<string, string>): Promise<string> {
    const existing = await this.getExperimentByName(name);
    if (existing) return usable(existing);
    try {
      const answer = await this.client.request<{ experiment_id: string }>('POST', 'experiments/create', {
        expect: 'experiment_id',
        body: { name, tags: tags ? toPairs(tags) : undefined },
      });
      return String(answer.experiment_id);
    } catch (error) {
      if (!(error instanceof ConflictError && error.code === ErrorCodes.ALREADY_EXISTS)) throw error;
      const winner = await this.getExperimentByName(name);
      if (winner) return usable(winner);
      throw error;
    }
  }

  /** One run however often the request is retried (see idempotent-create.ts). */
  async createRun(request: CreateRunRequest): Promise<RunInfo> {
    const run = await createRunOnce(this.client, {
      experiment_id: request.experimentId,
      run_name: request.runName,
      start_time: request.startTime,
      tags: toPairs(request.tags),
    });
    return toRun(run).info;
  }

  async updateRun(runId: string, patch: { status?: RunStatus; endTime?: number; runName?: string }): Promise<RunInfo> {
    const answer = await this.client.request<{ run_info: WireRunInfo }>('POST', 'runs/update', {
      expect: 'run_info',
      body: { run_id: runId, status: patch.status, end_time: patch.endTime, run_name: patch.runName },
      notFoundCode: ErrorCodes.RUN_NOT_FOUND,
    });
    return toRunInfo(answer.run_info);
  }

  async getRun(runId: string): Promise<Run> {
    const answer = await this.client.request<{ run: WireRun }>('GET', 'runs/get', {
      expect: 'run',
      query: { run_id: runId },
      notFoundCode: ErrorCodes.RUN_NOT_FOUND,
    });
    const run = toRun(answer.run);
    const wire = answer.run as { inputs?: unknown; outputs?: unknown };
    const inputs = parseRunInputs(wire.inputs);
    const outputs = parseRunOutputs(wire.outputs);
    return { ...run, ...(inputs !== undefined && { inputs }), ...(outputs !== undefined && { outputs }) };
  }

  async searchRuns(query: SearchRunsQuery): Promise<Page<Run>> {
    const answer = await this.client.request<{ runs?: WireRun[]; next_page_token?: string }>('POST', 'runs/search', {
      body: {
        experiment_ids: query.experimentIds,
        filter: query.filter,
        max_results: query.maxResults,
        order_by: query.orderBy,
        page_token: query.pageToken,
      },
      notFoundCode: ErrorCodes.EXPERIMENT_NOT_FOUND,
    });
    return { items: (answer.runs ?? []).map(toRun), nextPageToken: answer.next_page_token || undefined };
  }

  /** Every value of `key`, following next_page_token until the server has no more. */
  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    const metrics: Metric[] = [];
    let pageToken: string | undefined;
    do {
      const answer = await this.client.request<{ metrics?: WireMetric[]; next_page_token?: string }>('GET', 'metrics/get-history', {
        query: { run_id: runId, metric_key: key, max_results: HISTORY_PAGE_SIZE, page_token: pageToken },
        notFoundCode: ErrorCodes.RUN_NOT_FOUND,
      });
      metrics.push(...(answer.metrics ?? []).map(toMetric));
      pageToken = answer.next_page_token || undefined;
    } while (pageToken);
    return metrics;
  }

  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    try {
      // the batcher sized the batch from exactly this body (log-batch-json.ts)
      await this.client.request('POST', 'runs/log-batch', { json: serializeLogBatch(runId, batch), notFoundCode: ErrorCodes.RUN_NOT_FOUND });
    } catch (error) {
      throw error instanceof ValidationError && batch.params.length > 0 ? await this.paramConflict(runId, batch, error) : error;
    }
  }

  /**
   * MLflow answers a changed param value with the same 400 INVALID_PARAMETER_VALUE as any bad input, and
   * its wording differs between versions, so the run's stored params decide: a batch param whose stored
   * value differs is a ConflictError (params are write-once), anything else stays the ValidationError.
   */
  private async paramConflict(runId: string, batch: LogBatch, error: ValidationError): Promise<Error> {
    const stored = await this.getRun(runId).then((run) => run.data.params, () => undefined);
    const changed = batch.params.find((p) => stored?.[p.key] !== undefined && stored[p.key] !== p.value);
    if (changed === undefined) return error;
    return new ConflictError(
      `Param ${JSON.stringify(changed.key)} of run ${runId} is already ${JSON.stringify(stored![changed.key])}; params are write-once and cannot change to ${JSON.stringify(changed.value)}. Log it under another key or start a new run.`,
      ErrorCodes.CONFLICT,
      { details: { ...error.details, runId, key: changed.key }, cause: error.cause },
    );
  }
}

/** A deleted experiment still owns its name, and MLflow refuses new runs in it: say how to get out. */
function usable(experiment: Experiment): string {
  if (experiment.lifecycleStage !== 'deleted') return experiment.experimentId;
  throw new ConflictError(
    `Experiment "${experiment.name}" (id ${experiment.experimentId}) exists but is deleted, so no run can be created in it. ` +
      'Restore it (MLflow UI, or `mlflow experiments restore`), delete it permanently, or choose another experiment name.',
    ErrorCodes.CONFLICT,
    { details: { experimentId: experiment.experimentId, name: experiment.name } },
  );
}
