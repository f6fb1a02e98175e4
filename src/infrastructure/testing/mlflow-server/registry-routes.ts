import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { alreadyExists, invalid, keyValues, listOrOmit, notFound, optionalInt, optionalString, pairsOrOmit, paginate, requireString } from './http-io';
import { asList, type RouteRequest, type RouteTable } from './routes';
import { matches, parseFilter, sortBy, type Lookup } from './search-filter';
import { getLoggedModel } from './logged-model-routes';
import type { ServerFlavour } from './server-flavour';
import type { FakeStore, ModelRecord, VersionRecord } from './store';

/**
 * MLflow's model-registry routes as the real server behaves: duplicates are 400 RESOURCE_ALREADY_EXISTS,
 * model-versions/search is GET only and its results carry no `aliases`, a missing alias is a 400
 * INVALID_PARAMETER_VALUE, versions travel as strings, and a local source must lie in the run's artifact dir.
 */
function getModel(store: FakeStore, name: string): ModelRecord {
  const model = store.models.get(name);
  if (!model) throw notFound(`Registered Model with name=${name} not found`);
  return model;
}

function getVersion(store: FakeStore, name: string, version: unknown): VersionRecord {
  const text = String(version ?? '');
  if (!/^\d+$/.test(text)) throw invalid(`Parameter 'version' must be an integer, got '${text}'.`);
  const found = store.models.get(name)?.versions.find((v) => v.version === Number(text));
  if (!found) throw notFound(`Model Version (name=${name}, version=${text}) not found`);
  return found;
}

function modelJson(m: ModelRecord): Record<string, unknown> {
  const latest = m.versions.length ? [versionJson(m, m.versions[m.versions.length - 1]!, false)] : undefined;
  return {
    name: m.name,
    creation_timestamp: m.creationTimestamp,
    last_updated_timestamp: m.lastUpdatedTimestamp,
    description: m.description,
    latest_versions: latest,
    tags: pairsOrOmit(m.tags),
    aliases: listOrOmit([...m.aliases].map(([alias, version]) => ({ alias, version: String(version) }))),
  };
}

function versionJson(m: ModelRecord, v: VersionRecord, withAliases: boolean): Record<string, unknown> {
  const aliases = [...m.aliases].filter(([, version]) => version === v.version).map(([alias]) => alias);
  return {
    name: v.name,
    version: String(v.version),
    creation_timestamp: v.creationTimestamp,
    last_updated_timestamp: v.lastUpdatedTimestamp,
    current_stage: 'None',
    description: v.description ?? '',
    source: v.source,
    run_id: v.runId ?? '',
    status: 'READY',
    tags: pairsOrOmit(v.tags),
    run_link: '',
    aliases: withAliases ? listOrOmit(aliases) : undefined,
    model_id: v.modelId,
  };
}

function checkAlias(alias: string): void {
  if (!/^[\w-]*$/.test(alias) || alias.length > 255) throw invalid(`Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores (_) and dashes (-).`);
  if (alias.toLowerCase() === 'latest' || /^v\d+$/i.test(alias)) throw invalid(`'${alias}' alias name (case insensitive) is reserved.`);
}

function isLocal(uri: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1];
  return scheme === undefined || scheme.toLowerCase() === 'file';
}

const localPath = (uri: string): string => (uri.startsWith('file:') ? fileURLToPath(uri.startsWith('file://') ? uri : `file://${uri.slice(5)}`) : path.resolve(uri));

/** A local source must lie in the run's artifact dir, or (3.x, with `model_id`) in the logged model's. */
function checkSource(store: FakeStore, source: string, runId: string | undefined, modelId?: string): void {
  if (!isLocal(source)) return;
  const root = modelId !== undefined ? getLoggedModel(store, modelId).artifactUri : runId ? store.runs.get(runId)?.artifactUri : undefined;
  const inside = root !== undefined && isLocal(root) && !path.relative(localPath(root), localPath(source)).startsWith('..');
  if (!inside) {
    const owner = modelId !== undefined ? 'model_id' : 'run_id';
    throw invalid(
      `Invalid model version source: '${source}'. To use a local path as a model version source, the ${owner} request parameter has to be specified and the local path has to be contained within the artifact directory of the run specified by the ${owner}.`,
    );
  }
}

function versionLookup(v: VersionRecord): Lookup {
  return (entity, key) => {
    if (entity === 'tags') return v.tags.get(key);
    const attributes: Record<string, string | number | undefined> = {
      name: v.name, version_number: v.version, run_id: v.runId, source_path: v.source,
      creation_timestamp: v.creationTimestamp, last_updated_timestamp: v.lastUpdatedTimestamp,
    };
    return attributes[key];
  };
}

function searchVersions({ args, store }: RouteRequest): unknown {
  const clauses = parseFilter(optionalString(args, 'filter'), 'attributes');
  const maxResults = optionalInt(args, 'max_results') ?? 10000;
  if (maxResults < 1 || maxResults > 200000) throw invalid(`Invalid value for max_results. It must be between 1 and 200000, but got ${maxResults}.`);
  const all = [...store.models.values()].flatMap((m) => m.versions);
  const found = all.filter((v) => matches(clauses, versionLookup(v)));
  const orderBy = [...asList(args.order_by).map(String), 'last_updated_timestamp DESC', 'name ASC', 'version_number DESC'];
  const sorted = sortBy(found, orderBy, 'attributes', versionLookup);
  const { page, next } = paginate(sorted, maxResults, optionalString(args, 'page_token'));
  // no aliases in search results: that is MLflow's behaviour, and clients must not rely on them here
  return { model_versions: listOrOmit(page.map((v) => versionJson(store.models.get(v.name)!, v, false))), next_page_token: next };
}

function searchModels({ args, store }: RouteRequest): unknown {
  const clauses = parseFilter(optionalString(args, 'filter'), 'attributes');
  const maxResults = optionalInt(args, 'max_results') ?? 100;
  if (maxResults < 1 || maxResults > 1000) throw invalid(`Invalid value for max_results. It must be at most 1000, but got value ${maxResults}`);
  const lookup = (m: ModelRecord): Lookup => (entity, key) => (entity === 'tags' ? m.tags.get(key) : ({ name: m.name, creation_timestamp: m.creationTimestamp, last_updated_timestamp: m.lastUpdatedTimestamp } as Record<string, string | number>)[key]);
  const found = [...store.models.values()].filter((m) => matches(clauses, lookup(m)));
  const sorted = sortBy(found, [...asList(args.order_by).map(String), 'name ASC'], 'attributes', lookup);
  const { page, next } = paginate(sorted, maxResults, optionalString(args, 'page_token'));
  return { registered_models: listOrOmit(page.map(modelJson)), next_page_token: next };
}

/**
 * MLflow 3.x (handlers._create_model_version): with `model_id`, the version is created and then the
 * logged model gets the tag `mlflow.modelVersions` (a JSON list of {name, version}); an unknown model id
 * fails at that second step, with 404 RESOURCE_DOES_NOT_EXIST, after the version exists (as the real
 * server does). A 2.x server does not know the field and ignores it.
 */
function linkLoggedModel(store: FakeStore, version: VersionRecord, modelId: string): void {
  const model = getLoggedModel(store, modelId);
  const entry = { name: version.name, version: version.version };
  const existing = model.tags.get('mlflow.modelVersions');
  const list = existing ? (JSON.parse(existing) as { name: string; version: number }[]) : [];
  if (!list.some((e) => e.name === entry.name && e.version === entry.version)) list.push(entry);
  // Python's json.dumps separators, as the server writes the tag
  model.tags.set('mlflow.modelVersions', `[${list.map((e) => `{"name": ${JSON.stringify(e.name)}, "version": ${e.version}}`).join(', ')}]`);
}

export function registryRoutes(flavour: () => ServerFlavour): RouteTable {
  return {
    'registered-models/create': {
      POST: ({ args, store }) => {
        const name = requireString(args, 'name');
        if (name.includes('/') || name.includes(':')) throw invalid(`Invalid name: '${name}'. Registered model names cannot contain '/' or ':'.`);
        if (store.models.has(name)) throw alreadyExists(`Registered Model (name=${name}) already exists.`);
        const t = store.now();
        const model: ModelRecord = {
          name, creationTimestamp: t, lastUpdatedTimestamp: t, description: optionalString(args, 'description'),
          tags: new Map(keyValues(args.tags, 'tags').map((kv) => [kv.key, kv.value])), aliases: new Map(), versions: [],
        };
        store.models.set(name, model);
        return { registered_model: modelJson(model) };
      },
    },
    'registered-models/get': { GET: ({ args, store }) => ({ registered_model: modelJson(getModel(store, requireString(args, 'name'))) }) },
    'registered-models/search': { GET: searchModels },
    'model-versions/create': {
      POST: ({ args, store }) => {
        const model = getModel(store, requireString(args, 'name'));
        const source = requireString(args, 'source');
        const runId = optionalString(args, 'run_id') || undefined;
        const modelId = flavour().version === 3 ? optionalString(args, 'model_id') || undefined : undefined;
        checkSource(store, source, runId, modelId);
        const t = store.now();
        const next = Math.max(0, ...model.versions.map((v) => v.version)) + 1;
        const version: VersionRecord = {
          name: model.name, version: next, creationTimestamp: t, lastUpdatedTimestamp: t, source, runId,
          description: optionalString(args, 'description'), tags: new Map(keyValues(args.tags, 'tags').map((kv) => [kv.key, kv.value])),
        };
        model.versions.push(version);
        model.lastUpdatedTimestamp = t;
        if (modelId !== undefined) {
          version.modelId = modelId;
          linkLoggedModel(store, version, modelId);
        }
        return { model_version: versionJson(model, version, false) };
      },
    },
    'model-versions/get': {
      GET: ({ args, store }) => {
        const name = requireString(args, 'name');
        const version = getVersion(store, name, requireString(args, 'version'));
        return { model_version: versionJson(store.models.get(name)!, version, true) };
      },
    },
    'model-versions/search': { GET: searchVersions },
    'registered-models/alias': {
      POST: ({ args, store }) => {
        const model = getModel(store, requireString(args, 'name'));
        const alias = requireString(args, 'alias');
        checkAlias(alias);
        const version = getVersion(store, model.name, requireString(args, 'version'));
        model.aliases.set(alias, version.version);
        return {};
      },
      DELETE: ({ args, store }) => {
        getModel(store, requireString(args, 'name')).aliases.delete(requireString(args, 'alias'));
        return {};
      },
      GET: ({ args, store }) => {
        const model = getModel(store, requireString(args, 'name'));
        const alias = requireString(args, 'alias');
        const version = model.aliases.get(alias);
        if (version === undefined) throw invalid(`Registered model alias ${alias} not found.`);
        return { model_version: versionJson(model, model.versions.find((v) => v.version === version)!, true) };
      },
    },
  };
}
