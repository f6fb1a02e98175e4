import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { alreadyExists, invalid, keyValues, listOrOmit, notFound, optionalInt, optionalString, pairsOrOmit, paginate, requireString } from './http-io';
import { asList, type RouteRequest, type RouteTable } from './routes';
import { matches, parseFilter, sortBy, type Lookup } from './search-filter';
import type { ExperimentRecord, FakeStore, MetricRecord, RunRecord } from './store';
import { runInputsJson, runOutputsJson } from './logged-model-json';
import { applyLogBatch, latestMetrics, metricJson } from './run-logging';
import { tagLimit, type ServerFlavour } from './server-flavour';

const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];

/** Maps a run's artifact URI to a local directory to list (undefined: nothing local, e.g. s3://). */
export type ArtifactDirResolver = (artifactUri: string) => string | undefined;

export function experimentJson(e: ExperimentRecord): Record<string, unknown> {
  return {
    experiment_id: e.id,
    name: e.name,
    artifact_location: e.artifactLocation,
    lifecycle_stage: e.lifecycleStage,
    last_update_time: e.lastUpdateTime,
    creation_time: e.creationTime,
    tags: pairsOrOmit(e.tags),
  };
}

export function runInfoJson(r: RunRecord): Record<string, unknown> {
  return {
    run_id: r.id,
    run_uuid: r.id,
    run_name: r.runName,
    experiment_id: r.experimentId,
    user_id: r.userId,
    status: r.status,
    start_time: r.startTime,
    end_time: r.endTime,
    artifact_uri: r.artifactUri,
    lifecycle_stage: r.lifecycleStage,
  };
}

/**
 * A Run message. `inputs` is always there (`{}` until datasets are logged); `outputs` only where 3.x
 * sends it (runs/get: RunOutputs, `{}` until a model is logged); 2.x has no outputs at all.
 */
export function runJson(r: RunRecord, withOutputs = false): Record<string, unknown> {
  const data = {
    metrics: listOrOmit(latestMetrics(r).map(metricJson)),
    params: pairsOrOmit(r.params),
    tags: pairsOrOmit(r.tags),
  };
  return { info: runInfoJson(r), data, inputs: runInputsJson(r), ...(withOutputs && { outputs: runOutputsJson(r) }) };
}

export function getRun(store: FakeStore, runId: string): RunRecord {
  const run = store.runs.get(runId);
  if (!run) throw notFound(`Run '${runId}' not found`);
  return run;
}

export function getExperiment(store: FakeStore, id: string): ExperimentRecord {
  const e = store.experiments.get(id);
  if (!e) throw notFound(`No Experiment with id=${id} exists`);
  return e;
}

const ADJECTIVES = ['bright', 'calm', 'eager', 'gentle', 'lucky', 'brave'];
const ANIMALS = ['fox', 'owl', 'whale', 'lynx', 'heron', 'otter'];
const runNameFor = (id: string): string => `${ADJECTIVES[id.charCodeAt(0) % 6]}-${ANIMALS[id.charCodeAt(1) % 6]}-${parseInt(id.slice(2, 5), 16) % 1000}`;

export function trackingRoutes(resolveArtifactDir: ArtifactDirResolver, historyPageLimit: () => number | undefined, flavour: () => ServerFlavour): RouteTable {
  return {
    'experiments/create': {
      POST: ({ args, store }) => {
        const name = requireString(args, 'name');
        if (store.experimentByName(name)) throw alreadyExists(`Experiment '${name}' already exists.`);
        const e = store.addExperiment(name, optionalString(args, 'artifact_location'));
        for (const t of keyValues(args.tags, 'tags')) e.tags.set(t.key, t.value);
        return { experiment_id: e.id };
      },
    },
    'experiments/get': { GET: ({ args, store }) => ({ experiment: experimentJson(getExperiment(store, requireString(args, 'experiment_id'))) }) },
    'experiments/get-by-name': {
      GET: ({ args, store }) => {
        const name = requireString(args, 'experiment_name');
        const e = store.experimentByName(name);
        if (!e) throw notFound(`Could not find experiment with name '${name}'`);
        return { experiment: experimentJson(e) };
      },
    },
    'experiments/delete': {
      POST: ({ args, store }) => {
        getExperiment(store, requireString(args, 'experiment_id')).lifecycleStage = 'deleted';
        return {};
      },
    },
    'runs/create': { POST: (request) => createRun(request, flavour()) },
    'runs/update': {
      POST: ({ args, store }) => {
        const run = getRun(store, requireString(args, 'run_id'));
        const status = optionalString(args, 'status');
        if (status !== undefined) {
          if (!RUN_STATUSES.includes(status)) throw invalid(`Invalid value "${status}" for parameter 'status' supplied.`);
          run.status = status;
        }
        run.endTime = optionalInt(args, 'end_time') ?? run.endTime;
        const runName = optionalString(args, 'run_name');
        if (runName) {
          run.runName = runName;
          run.tags.set('mlflow.runName', runName);
        }
        return { run_info: runInfoJson(run) };
      },
    },
    'runs/get': { GET: ({ args, store }) => ({ run: runJson(getRun(store, requireString(args, 'run_id')), flavour().version === 3) }) },
    'runs/delete': {
      POST: ({ args, store }) => {
        getRun(store, requireString(args, 'run_id')).lifecycleStage = 'deleted';
        return {};
      },
    },
    'runs/search': { POST: searchRuns },
    'runs/log-batch': {
      POST: ({ args, store }) => {
        applyLogBatch(store, getRun(store, requireString(args, 'run_id')), args, flavour());
        return {};
      },
    },
    // MLflow's LogModel (2.x and 3.x): the stores append model_json to the run's mlflow.log-model.history tag
    'runs/log-model': {
      POST: ({ args, store }) => {
        const run = getRun(store, requireString(args, 'run_id'));
        const entry = JSON.parse(requireString(args, 'model_json')) as unknown;
        const history = JSON.parse(run.tags.get('mlflow.log-model.history') ?? '[]') as unknown[];
        run.tags.set('mlflow.log-model.history', JSON.stringify([...history, entry]));
        return {};
      },
    },
    'runs/log-metric': {
      POST: ({ args, store }) => {
        const run = getRun(store, requireString(args, 'run_id'));
        applyLogBatch(store, run, { metrics: [{ key: args.key, value: args.value, timestamp: args.timestamp, step: args.step }] }, flavour());
        return {};
      },
    },
    'runs/log-parameter': {
      POST: ({ args, store }) => {
        applyLogBatch(store, getRun(store, requireString(args, 'run_id')), { params: [{ key: args.key, value: args.value }] }, flavour());
        return {};
      },
    },
    'runs/set-tag': {
      POST: ({ args, store }) => {
        applyLogBatch(store, getRun(store, requireString(args, 'run_id')), { tags: [{ key: args.key, value: args.value }] }, flavour());
        return {};
      },
    },
    'metrics/get-history': {
      GET: ({ args, store }) => {
        const run = getRun(store, requireString(args, 'run_id'));
        const key = requireString(args, 'metric_key');
        const values = run.metrics.filter((m) => m.key === key);
        const requested = optionalInt(args, 'max_results');
        // MLflow 3.11: without max_results the answer holds no metrics at all (upstream bug)
        if (requested === undefined && flavour().version === 3) return {};
        const limit = Math.min(requested ?? Number.MAX_SAFE_INTEGER, historyPageLimit() ?? Number.MAX_SAFE_INTEGER);
        const { page, next } = paginate(values, limit, optionalString(args, 'page_token'));
        return { metrics: listOrOmit(page.map(metricJson)), next_page_token: next };
      },
    },
    'artifacts/list': {
      GET: ({ args, store }) => {
        const run = getRun(store, requireString(args, 'run_id'));
        const rel = optionalString(args, 'path') ?? '';
        const dir = resolveArtifactDir(run.artifactUri);
        return { root_uri: run.artifactUri, files: dir ? listOrOmit(listDir(dir, rel)) : undefined };
      },
    },
  };
}

function createRun({ args, store }: RouteRequest, flavour: ServerFlavour): unknown {
  const experiment = getExperiment(store, requireString(args, 'experiment_id'));
  if (experiment.lifecycleStage !== 'active') throw invalid(`The experiment ${experiment.id} must be in the 'active' state. Current state is deleted.`);
  const tags = new Map(keyValues(args.tags, 'tags').map((t) => [t.key, t.value.slice(0, tagLimit(flavour))]));
  const runName = optionalString(args, 'run_name');
  const tagName = tags.get('mlflow.runName');
  if (runName && tagName && runName !== tagName) {
    throw invalid(`Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${runName}', mlflow.runName='${tagName}').`);
  }
  const id = store.newRunId();
  const name = runName || tagName || runNameFor(id);
  tags.set('mlflow.runName', name);
  const run: RunRecord = {
    id,
    experimentId: experiment.id,
    runName: name,
    userId: optionalString(args, 'user_id') ?? tags.get('mlflow.user') ?? '',
    status: 'RUNNING',
    startTime: optionalInt(args, 'start_time') ?? store.now(),
    artifactUri: store.runArtifactUri(experiment, id),
    lifecycleStage: 'active',
    metrics: [],
    params: new Map(),
    tags,
    datasetInputs: [],
    modelOutputs: [],
  };
  store.runs.set(id, run);
  return { run: runJson(run) };
}

function searchRuns({ args, store }: RouteRequest): unknown {
  const ids = asList(args.experiment_ids).map(String);
  const clauses = parseFilter(optionalString(args, 'filter'), 'attributes');
  const maxResults = optionalInt(args, 'max_results') ?? 1000;
  if (maxResults > 50000) throw invalid(`Invalid value for parameter 'max_results' supplied. It must be at most 50000, but got value ${maxResults}`);
  const lookup = (run: RunRecord): Lookup => {
    const latest = new Map(latestMetrics(run).map((m: MetricRecord) => [m.key, m.value]));
    return (entity, key) => {
      if (entity === 'metrics') return latest.get(key);
      if (entity === 'params') return run.params.get(key);
      if (entity === 'tags') return run.tags.get(key);
      const attributes: Record<string, string | number | undefined> = {
        run_id: run.id, run_name: run.runName, status: run.status, start_time: run.startTime, end_time: run.endTime,
        artifact_uri: run.artifactUri, user_id: run.userId, created: run.startTime,
      };
      return attributes[key];
    };
  };
  const candidates = [...store.runs.values()].filter((r) => ids.includes(r.experimentId) && r.lifecycleStage === 'active' && matches(clauses, lookup(r)));
  const orderBy = asList(args.order_by).map(String);
  const sorted = sortBy(candidates, [...orderBy, 'start_time DESC', 'run_id ASC'], 'attributes', lookup);
  const { page, next } = paginate(sorted, maxResults, optionalString(args, 'page_token'));
  return { runs: listOrOmit(page.map((r) => runJson(r))), next_page_token: next };
}

function listDir(root: string, rel: string): { path: string; is_dir: boolean; file_size?: number }[] {
  const dir = path.join(root, rel);
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names.map((name) => {
    const stat = statSync(path.join(dir, name));
    const p = rel ? `${rel.replace(/\/+$/, '')}/${name}` : name;
    return stat.isDirectory() ? { path: p, is_dir: true } : { path: p, is_dir: false, file_size: stat.size };
  });
}

