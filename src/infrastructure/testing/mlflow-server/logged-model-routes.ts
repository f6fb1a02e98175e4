import { invalid, keyValues, listOrOmit, notFound, optionalInt, optionalString, paginate, requireString } from './http-io';
import { loggedModelJson } from './logged-model-json';
import { asList, type RouteRequest, type RouteTable } from './routes';
import { matches, parseFilter, type Lookup } from './search-filter';
import type { DatasetInputRecord, FakeStore, LoggedModelRecord } from './store';
import { getExperiment, getRun } from './tracking-routes';

/**
 * Routes a 2.x server does not have: it answers them with Flask's 404 HTML page, whatever the method.
 *
 * @example if (flavour.version !== 3 && MLFLOW3_ONLY_ROUTES.has(match.key)) return sendHtml(res, 404, 'Not Found', '…');
 */
export const MLFLOW3_ONLY_ROUTES: ReadonlySet<string> = new Set([
  'logged-models',
  'logged-models/search',
  'logged-models/:model_id',
  'logged-models/:model_id/params',
  'runs/outputs',
]);

const FINAL_STATUSES = ['LOGGED_MODEL_PENDING', 'LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED'] as const;

/**
 * A logged model, or what MLflow's stores answer for an unknown (or deleted) one: 404 RESOURCE_DOES_NOT_EXIST.
 *
 * @example const model = getLoggedModel(store, requireString(args, 'model_id'));
 */
export function getLoggedModel(store: FakeStore, id: string): LoggedModelRecord {
  const model = store.loggedModels.get(id);
  if (!model || model.lifecycleStage !== 'active') throw notFound(`Logged model with ID '${id}' not found.`);
  return model;
}

/**
 * MLflow 3.x's logged-model routes (service.proto: CreateLoggedModel, FinalizeLoggedModel,
 * GetLoggedModel, DeleteLoggedModel, SearchLoggedModels, LogLoggedModelParamsRequest, LogOutputs) and
 * runs/log-inputs (2.x and 3.x), as SqlAlchemyStore behaves: ids `m-<hex>`, files under
 * `<experiment location>/models/<id>/artifacts`, dataset inputs kept once per name + digest per run.
 *
 * @example const routes: RouteTable = { ...trackingRoutes(…), ...loggedModelRoutes(), ...registryRoutes(() => flavour) };
 */
export function loggedModelRoutes(): RouteTable {
  return {
    'logged-models': { POST: createLoggedModel },
    'logged-models/search': { POST: searchLoggedModels },
    'logged-models/:model_id': {
      GET: ({ args, store }) => ({ model: loggedModelJson(getLoggedModel(store, requireString(args, 'model_id'))) }),
      PATCH: ({ args, store }) => {
        const model = getLoggedModel(store, requireString(args, 'model_id'));
        const status = requireString(args, 'status');
        if (!(FINAL_STATUSES as readonly string[]).includes(status)) throw invalid(`Invalid value "${status}" for parameter 'status' supplied.`);
        model.status = status as LoggedModelRecord['status'];
        model.lastUpdatedTimestamp = store.now();
        return { model: loggedModelJson(model) };
      },
      DELETE: ({ args, store }) => {
        const model = getLoggedModel(store, requireString(args, 'model_id'));
        model.lifecycleStage = 'deleted';
        model.lastUpdatedTimestamp = store.now();
        return {};
      },
    },
    'logged-models/:model_id/params': {
      POST: ({ args, store }) => {
        const model = getLoggedModel(store, requireString(args, 'model_id'));
        for (const p of keyValues(args.params, 'params')) model.params.set(p.key, p.value);
        return {};
      },
    },
    'runs/outputs': {
      POST: ({ args, store }) => {
        const run = activeRun(store, requireString(args, 'run_id'));
        asList(args.models).forEach((item, i) => {
          const output = (item ?? {}) as Record<string, unknown>;
          const modelId = requireString(output, 'model_id');
          const step = optionalInt(output, 'step');
          if (step === undefined) throw invalid(`Missing value for required parameter 'models[${i}].step'.`);
          run.modelOutputs.push({ modelId, step });
        });
        return {};
      },
    },
    'runs/log-inputs': { POST: logInputs },
  };
}

function activeRun(store: FakeStore, runId: string) {
  const run = getRun(store, runId);
  if (run.lifecycleStage !== 'active') throw invalid(`The run ${runId} must be in the 'active' state. Current state is deleted.`);
  return run;
}

function createLoggedModel({ args, store }: RouteRequest): unknown {
  const experiment = getExperiment(store, requireString(args, 'experiment_id'));
  if (experiment.lifecycleStage !== 'active') throw invalid(`The experiment ${experiment.id} must be in the 'active' state. Current state is deleted.`);
  const id = store.newLoggedModelId();
  const t = store.now();
  const model: LoggedModelRecord = {
    id,
    experimentId: experiment.id,
    name: optionalString(args, 'name') || `model-${id.slice(2, 8)}`,
    artifactUri: store.loggedModelArtifactUri(experiment, id),
    status: 'LOGGED_MODEL_PENDING',
    creationTimestamp: t,
    lastUpdatedTimestamp: t,
    modelType: optionalString(args, 'model_type') || undefined,
    sourceRunId: optionalString(args, 'source_run_id') || undefined,
    params: new Map(keyValues(args.params, 'params').map((p) => [p.key, p.value])),
    tags: new Map(keyValues(args.tags, 'tags').map((p) => [p.key, p.value])),
    lifecycleStage: 'active',
  };
  store.loggedModels.set(id, model);
  return { model: loggedModelJson(model) };
}

/** What a search filter can name: attributes (`name`, `source_run_id`, `status` …), `params.<k>`, `tags.<k>`. */
function loggedModelLookup(m: LoggedModelRecord): Lookup {
  return (entity, key) => {
    if (entity === 'params') return m.params.get(key);
    if (entity === 'tags') return m.tags.get(key);
    const attributes: Record<string, string | number | undefined> = {
      model_id: m.id, name: m.name, status: m.status, source_run_id: m.sourceRunId, model_type: m.modelType,
      creation_timestamp: m.creationTimestamp, creation_time: m.creationTimestamp, last_updated_timestamp: m.lastUpdatedTimestamp,
    };
    return attributes[key];
  };
}

/** Filter on attributes, params and tags (not metrics); newest first; `order_by` (a list of objects) is not emulated. */
function searchLoggedModels({ args, store }: RouteRequest): unknown {
  const ids = asList(args.experiment_ids).map(String);
  const maxResults = optionalInt(args, 'max_results') ?? 50;
  const clauses = parseFilter(optionalString(args, 'filter'), 'attributes');
  const found = [...store.loggedModels.values()]
    .filter((m) => ids.includes(m.experimentId) && m.lifecycleStage === 'active' && matches(clauses, loggedModelLookup(m)))
    .sort((a, b) => b.creationTimestamp - a.creationTimestamp || a.id.localeCompare(b.id));
  const { page, next } = paginate(found, maxResults, optionalString(args, 'page_token'));
  return { models: listOrOmit(page.map(loggedModelJson)), next_page_token: next };
}

/** SqlAlchemyStore.log_inputs: each name + digest once per call and once per run (the first one's tags win). */
function logInputs({ args, store }: RouteRequest): unknown {
  const run = activeRun(store, requireString(args, 'run_id'));
  asList(args.datasets).forEach((item, i) => {
    const input = (item ?? {}) as Record<string, unknown>;
    const dataset = input.dataset;
    if (dataset === null || typeof dataset !== 'object') throw invalid(`Missing value for required parameter 'datasets[${i}].dataset'.`);
    const d = dataset as Record<string, unknown>;
    const record: DatasetInputRecord = {
      dataset: {
        name: requireString(d, 'name'),
        digest: requireString(d, 'digest'),
        source_type: requireString(d, 'source_type'),
        source: requireString(d, 'source'),
        schema: optionalString(d, 'schema'),
        profile: optionalString(d, 'profile'),
      },
      tags: new Map(keyValues(input.tags, `datasets[${i}].tags`).map((t) => [t.key, t.value])),
    };
    const known = run.datasetInputs.some((r) => r.dataset.name === record.dataset.name && r.dataset.digest === record.dataset.digest);
    if (!known) run.datasetInputs.push(record);
  });
  return {};
}
