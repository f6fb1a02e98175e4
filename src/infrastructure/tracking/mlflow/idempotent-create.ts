import { randomUUID } from 'node:crypto';
import { ErrorCodes } from '../../../domain/errors';
import type { WireModelVersion, WireRun } from './proto-mapping';
import type { MlflowRestClient } from './rest-client';

/**
 * The idempotency mark of a create. MLflow's create routes have no request id of their own, and the
 * client retries POSTs (as MLflow's Python client does): when a create landed but its answer was lost
 * (a proxy cut the connection, a timeout), a plain retry makes a second run or version. So each run and
 * model version this client creates carries this tag with a fresh id, and before a create is sent again
 * the server is searched for that id; a hit is the answer, and nothing is re-sent.
 *
 * Registered models and experiments need no mark: their name is unique, and a retried create that finds
 * the name taken (400 RESOURCE_ALREADY_EXISTS) reads the existing one.
 */
export const REQUEST_ID_TAG = 'mlops-kit.request_id';

export interface CreateRunBody {
  experiment_id: string;
  run_name?: string;
  start_time: number;
  tags: { key: string; value: string }[];
}

export interface CreateVersionBody {
  name: string;
  source: string;
  run_id?: string;
  /** The logged model the version registers (MLflow 3; a 2.x server ignores it). */
  model_id?: string;
  description?: string;
  tags?: { key: string; value: string }[];
}

/**
 * `runs/create` that makes one run however often it is retried: the run is tagged `mlops-kit.request_id`,
 * and a retry first searches the experiment for that tag.
 *
 * @example
 * const run = await createRunOnce(client, { experiment_id: '1', start_time: Date.now(), tags: [] });
 */
export async function createRunOnce(client: MlflowRestClient, body: CreateRunBody): Promise<WireRun> {
  const requestId = randomUUID();
  const answer = await client.request<{ run: WireRun }>('POST', 'runs/create', {
    expect: 'run',
    body: { ...body, tags: [...body.tags, { key: REQUEST_ID_TAG, value: requestId }] },
    notFoundCode: ErrorCodes.EXPERIMENT_NOT_FOUND,
    beforeResend: async () => {
      const found = await client.request<{ runs?: WireRun[] }>('POST', 'runs/search', {
        body: { experiment_ids: [body.experiment_id], filter: requestIdFilter(requestId), max_results: 1 },
        notFoundCode: ErrorCodes.EXPERIMENT_NOT_FOUND,
      });
      const run = found.runs?.[0];
      return run === undefined ? undefined : { run };
    },
  });
  return answer.run;
}

/**
 * `model-versions/create` that makes one version however often it is retried (tagged like runs; the
 * retry searches the model's versions for the tag).
 *
 * @example
 * const version = await createModelVersionOnce(client, { name: 'churn', source: `runs:/${runId}/model`, run_id: runId });
 */
export async function createModelVersionOnce(client: MlflowRestClient, body: CreateVersionBody): Promise<WireModelVersion> {
  const requestId = randomUUID();
  const answer = await client.request<{ model_version: WireModelVersion }>('POST', 'model-versions/create', {
    expect: 'model_version',
    body: { ...body, tags: [...(body.tags ?? []), { key: REQUEST_ID_TAG, value: requestId }] },
    notFoundCode: ErrorCodes.MODEL_NOT_FOUND,
    beforeResend: async () => {
      const found = await client.request<{ model_versions?: WireModelVersion[] }>('GET', 'model-versions/search', {
        query: { filter: `name=${quote(body.name)} AND ${requestIdFilter(requestId)}`, max_results: 1 },
      });
      const version = found.model_versions?.[0];
      return version === undefined ? undefined : { model_version: version };
    },
  });
  return answer.model_version;
}

/** The key holds dots and a dash, so it is back-ticked; the id is a UUID, safe in single quotes. */
function requestIdFilter(requestId: string): string {
  return `tags.\`${REQUEST_ID_TAG}\` = '${requestId}'`;
}

/** A model name as a filter literal (MLflow names may hold quotes of one kind). */
function quote(value: string): string {
  return value.includes("'") ? `"${value}"` : `'${value}'`;
}
