/**
 * A model version's registration state, as MLflow reports it.
 *
 * @example if (version.status !== 'READY') throw new Error(`churn v${version.version} is ${version.status}`);
 */
export type ModelVersionStatus = 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION' | 'READY';

/**
 * A numbered version of a registered model. `version` is an integer here (MLflow sends it as a string).
 *
 * @example const { version, source } = await registry.getVersionByAlias('churn', 'Champion');
 */
export interface ModelVersion {
  name: string;
  version: number;
  source: string;
  runId?: string;
  /** The logged model (`m-…`) this version registers (MLflow 3). */
  modelId?: string;
  status: ModelVersionStatus;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description?: string;
  tags: Record<string, string>;
  /** Aliases pointing at this version. Empty when the source did not say (MLflow's search omits them). */
  aliases: string[];
}

/**
 * An alias of a registered model and the version it points at.
 *
 * @example const champion = (await registry.getRegisteredModel('churn')).aliases.find((a: ModelAlias) => a.alias === 'Champion')?.version;
 */
export interface ModelAlias {
  alias: string;
  version: number;
}

/**
 * A registered model: the name that groups its numbered versions, with its tags and aliases.
 *
 * @example const model = await registry.createRegisteredModel('churn', { description: 'Churn classifier' });
 */
export interface RegisteredModel {
  name: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description?: string;
  tags: Record<string, string>;
  aliases: ModelAlias[];
}

/**
 * What `registry.createModelVersion` registers: a new version of model `name` from files at `source`.
 *
 * @example const { version } = await registry.createModelVersion({ name: 'churn', source: `runs:/${runId}/model`, runId });
 */
export interface CreateModelVersionRequest {
  /** The registered model the version belongs to. */
  name: string;
  /** Where the model files are: a run artifact URI (`runs:/<id>/model`), `s3://…`, or a path inside the run's artifact dir. */
  source: string;
  /** The run that produced the model. */
  runId?: string;
  /** The logged model (`m-…`) the version registers, when the source is `models:/m-<id>`. */
  modelId?: string;
  description?: string;
  /** Tags set on the new version. */
  tags?: Record<string, string>;
}

/**
 * What `registry.searchModelVersions` looks for, one page at a time.
 *
 * @example const { items } = await registry.searchModelVersions({ filter: "name='churn'", orderBy: ['version_number DESC'], maxResults: 5 });
 */
export interface SearchModelVersionsQuery {
  /** MLflow filter syntax, e.g. `name='churn'`. */
  filter?: string;
  /** e.g. `['version_number DESC']`. */
  orderBy?: string[];
  /** Most versions in one page. */
  maxResults?: number;
  /** The previous page's `nextPageToken`, to fetch the page after it. */
  pageToken?: string;
}

/**
 * Where a model comes from, as a model URI names it:
 * - `models:/name/3` a registered version, `models:/name@Champion` a registered alias;
 * - `models:/m-<id>` a logged model (MLflow 3);
 * - `runs:/<run id>/<path>` files a run logged (how MLflow 2.x refers to a model).
 *
 * @example const ref: ModelReference = parseModelUri('models:/churn@Champion'); // { kind: 'alias', name: 'churn', alias: 'Champion' }
 */
export type ModelReference =
  | { kind: 'version'; name: string; version: number }
  | { kind: 'alias'; name: string; alias: string }
  | { kind: 'logged-model'; modelId: string }
  | { kind: 'run'; runId: string; path: string };
