/**
 * The `job` section of a config file, one interface per KIND, as the jobs read it after validation
 * (src/infrastructure/config/job-schemas.ts holds the zod schemas with the same fields and fills the
 * defaults noted here). Fields with a default are optional, so an app that builds a job in code
 * writes only what it changes; each job fills the rest from JOB_DEFAULTS.
 */

/** Points an alias at a model version. */
export interface PromotionJobConfig {
  KIND: 'PromotionJob';
  /** Registered model name. */
  model: string;
  /** Default `Champion`. `latest` and `v<digits>` are reserved by MLflow. */
  alias?: string;
  /** Version to promote (>= 1). Default: the highest version number. */
  version?: number;
  /** Report what would change, change nothing. Default false. */
  dryRun?: boolean;
}

/** Trains the demo ridge regression, tracks it and (by default) registers it. */
export interface TrainingJobConfig {
  KIND: 'TrainingJob';
  /** Registered model name the new version goes to. */
  model: string;
  runName?: string;
  /** Seeds data generation and the train/test split. Default 42. */
  seed?: number;
  /** Rows of synthetic data (ignored with dataPath). Default 500. */
  rows?: number;
  /** Default 200. */
  epochs?: number;
  /** Default 0.05. */
  learningRate?: number;
  /** L2 penalty. Default 0.001. */
  l2?: number;
  /** Held-out share of rows. Default 0.2. */
  testFraction?: number;
  /** CSV with a header and a `demand` column to predict; every other column is a feature. Default: synthetic data. */
  dataPath?: string;
  /** Register the model version. Default true. */
  register?: boolean;
}

/** Scores a CSV file with a registered model. */
export interface InferenceJobConfig {
  KIND: 'InferenceJob';
  /** `models:/<name>/<version>` or `models:/<name>@<alias>`. */
  modelUri: string;
  /** CSV with (at least) the model's feature columns. */
  inputPath: string;
  /** Where the input rows plus a `prediction` column are written. */
  outputPath: string;
}

/** Trains config variants concurrently as nested runs under one parent run. */
export interface ExperimentJobConfig {
  KIND: 'ExperimentJob';
  /** Names the parent run. */
  name: string;
  /** Model being tuned; recorded on the parent run (branches register nothing). */
  model?: string;
  /** Training parameters shared by every branch (seed, rows, epochs, learningRate, l2, testFraction, dataPath). Default {}. */
  base?: Record<string, unknown>;
  /** Explicit branches, each merged over base. */
  variants?: Record<string, unknown>[];
  /** Parameter → values; every combination becomes a branch. */
  grid?: Record<string, unknown[]>;
  /** Default 4. */
  concurrency?: number;
  /** Default 0. */
  retries?: number;
  /** Default 100. */
  retryBackoffMs?: number;
  /** Default false: collect every branch's outcome. */
  failFast?: boolean;
  timeoutMs?: number;
}

/** The defaults the zod schemas apply; jobs apply them too, for configs built in code. */
export const JOB_DEFAULTS = {
  PromotionJob: { alias: 'Champion', dryRun: false },
  TrainingJob: { seed: 42, rows: 500, epochs: 200, learningRate: 0.05, l2: 0.001, testFraction: 0.2, register: true },
  ExperimentJob: { base: {}, concurrency: 4, retries: 0, retryBackoffMs: 100, failFast: false },
} as const;

/** A config whose defaulted fields are filled. */
export type WithDefaults<C, D> = C & Required<Pick<C, keyof D & keyof C>>;

/** `config` with every missing or undefined field taken from `defaults`. */
export function withDefaults<C extends object, D extends Partial<C>>(config: C, defaults: D): WithDefaults<C, D> {
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(config)) if (value !== undefined) out[key] = value;
  return out as WithDefaults<C, D>;
}
