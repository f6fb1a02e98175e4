export type ModelVersionStatus = 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION' | 'READY';

/** A numbered version of a registered model. `version` is an integer here (MLflow sends it as a string). */
export interface ModelVersion {
  name: string;
  version: number;
  source: string;
  runId?: string;
  status: ModelVersionStatus;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description?: string;
  tags: Record<string, string>;
  /** Aliases pointing at this version. Empty when the source did not say (MLflow's search omits them). */
  aliases: string[];
}

export interface ModelAlias {
  alias: string;
  version: number;
}

export interface RegisteredModel {
  name: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description?: string;
  tags: Record<string, string>;
  aliases: ModelAlias[];
}

export interface CreateModelVersionRequest {
  name: string;
  /** Where the model files are: a run artifact URI (`runs:/<id>/model`), `s3://…`, or a path inside the run's artifact dir. */
  source: string;
  runId?: string;
  description?: string;
  tags?: Record<string, string>;
}

export interface SearchModelVersionsQuery {
  /** MLflow filter syntax, e.g. `name='churn'`. */
  filter?: string;
  /** e.g. `['version_number DESC']`. */
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
}

/** A `models:/` URI: `models:/name/3` (a version) or `models:/name@Champion` (an alias). */
export type ModelReference = { name: string; version: number } | { name: string; alias: string };
