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
}

export interface VersionRecord {
  name: string;
  version: number;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description?: string;
  source: string;
  runId?: string;
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

  private experimentLocation(id: string): string {
    if (this.artifactRoot === 'mlflow-artifacts') return `mlflow-artifacts:/${id}`;
    return `${this.artifactRoot.replace(/\/+$/, '')}/${id}`;
  }
}
