import { randomBytes } from 'node:crypto';

/** The fake server's state, kept in memory. Shapes follow MLflow's entities, not the wire. */
export interface ExperimentRecord {
  id: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: 'active' | 'deleted';
  tags: Map<string, string>;
  creationTime: number;
  lastUpdateTime: number;
}

export interface MetricRecord {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface RunRecord {
  id: string;
  experimentId: string;
  runName: string;
  userId: string;
  status: string;
  startTime: number;
  endTime?: number;
  artifactUri: string;
  lifecycleStage: 'active' | 'deleted';
  /** Every value ever logged, in arrival order. */
  metrics: MetricRecord[];
  params: Map<string, string>;
  tags: Map<string, string>;
  /** runs/log-inputs, in arrival order; one per dataset name + digest (MLflow keeps the first). */
  datasetInputs: DatasetInputRecord[];
  /** runs/outputs (3.x): the logged models this run produced. */
  modelOutputs: { modelId: string; step: number }[];
}

/** A dataset input as the server keeps it: the dataset's fields as sent, and the input's tags. */
export interface DatasetInputRecord {
  dataset: { name: string; digest: string; source_type: string; source: string; schema?: string; profile?: string };
  tags: Map<string, string>;
}

/** MLflow 3's logged model (`m-<32 hex>`), with its files under `<experiment location>/models/<id>/artifacts`. */
export interface LoggedModelRecord {
  id: string;
  experimentId: string;
  name: string;
  artifactUri: string;
  status: 'LOGGED_MODEL_PENDING' | 'LOGGED_MODEL_READY' | 'LOGGED_MODEL_UPLOAD_FAILED';
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  modelType?: string;
  sourceRunId?: string;
  params: Map<string, string>;
  tags: Map<string, string>;
  lifecycleStage: 'active' | 'deleted';
}

export interface VersionRecord {
  name: string;
  version: number;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description?: string;
  source: string;
  runId?: string;
  /** 3.x: the logged model this version was registered from. */
  modelId?: string;
  tags: Map<string, string>;
}

export interface ModelRecord {
  name: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description?: string;
  tags: Map<string, string>;
  aliases: Map<string, number>;
  versions: VersionRecord[];
}

/**
 * Where new runs keep their files: `mlflow-artifacts` (the server's proxy, MLflow's default),
 * or a root URI such as `s3://bucket/prefix` or `file:///tmp/x` under which `<exp>/<run>/artifacts` goes.
 */
export type ArtifactRootSetting = 'mlflow-artifacts' | string;

/**
 * The fake server's entities; experiment "0" (Default) exists from the start, as on a fresh server.
 *
 * @example
 * const store = new FakeStore('mlflow-artifacts', Date.now);
 * store.experimentByName('Default')?.id; // '0'
 */
export class FakeStore {
  readonly experiments = new Map<string, ExperimentRecord>();
  readonly runs = new Map<string, RunRecord>();
  readonly models = new Map<string, ModelRecord>();
  readonly loggedModels = new Map<string, LoggedModelRecord>();
  private nextExperimentId = 1;

  constructor(
    private readonly artifactRoot: ArtifactRootSetting,
    private readonly clock: () => number,
  ) {
    this.addExperiment('Default', undefined, '0');
  }

  now(): number {
    return this.clock();
  }

  addExperiment(name: string, artifactLocation?: string, id = String(this.nextExperimentId++)): ExperimentRecord {
    const t = this.clock();
    const record: ExperimentRecord = {
      id,
      name,
      artifactLocation: artifactLocation ?? this.experimentLocation(id),
      lifecycleStage: 'active',
      tags: new Map(),
      creationTime: t,
      lastUpdateTime: t,
    };
    this.experiments.set(id, record);
    return record;
  }

  experimentByName(name: string): ExperimentRecord | undefined {
    return [...this.experiments.values()].find((e) => e.name === name);
  }

  newRunId(): string {
    return randomBytes(16).toString('hex');
  }

  runArtifactUri(experiment: ExperimentRecord, runId: string): string {
    return `${experiment.artifactLocation.replace(/\/+$/, '')}/${runId}/artifacts`;
  }

  /** `m-` + uuid4 hex, as MLflow 3's stores make logged-model ids. */
  newLoggedModelId(): string {
    return `m-${randomBytes(16).toString('hex')}`;
  }

  /** Where MLflow 3 (SqlAlchemyStore and FileStore alike) puts a logged model's files: `<experiment location>/models/<id>/artifacts`. */
  loggedModelArtifactUri(experiment: ExperimentRecord, modelId: string): string {
    return `${experiment.artifactLocation.replace(/\/+$/, '')}/models/${modelId}/artifacts`;
  }

  private experimentLocation(id: string): string {
    if (this.artifactRoot === 'mlflow-artifacts') return `mlflow-artifacts:/${id}`;
    return `${this.artifactRoot.replace(/\/+$/, '')}/${id}`;
  }
}
