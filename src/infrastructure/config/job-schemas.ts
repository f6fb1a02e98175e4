import { z } from 'zod';
import { assertValidAlias, assertValidKey, assertValidModelName, parseModelUri } from '../../domain/model/naming-rules';
import type { EnvMap } from './env';
import { booleanField, numberField, optionalText, requiredText } from './fields';
import { isMapping } from './tree';

/** The env variable that names the model when a job's `model` is not set, and the last-resort default. */
export const MODEL_NAME_ENV = 'MLOPS_MODEL_NAME';
export const DEFAULT_MODEL_NAME = 'bike-demand';

/** Turns a domain assertion (throws ValidationError) into a zod refinement with the same message. */
export function domainRule(assert: (value: string) => void) {
  return (value: string | undefined, ctx: z.RefinementCtx) => {
    if (value === undefined) return;
    try {
      assert(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    }
  };
}

const modelName = () =>
  z
    .string()
    .min(1, { message: 'must not be empty' })
    .superRefine(domainRule(assertValidModelName))
    .default(DEFAULT_MODEL_NAME)
    .describe(`Registered model name. Default: env ${MODEL_NAME_ENV}, else "${DEFAULT_MODEL_NAME}".`);

const int = (inner: z.ZodNumber) => inner.int({ message: 'must be a whole number' });

/**
 * Upper bounds on sizes (README "Configuration"): past them a run exhausts memory or never ends rather
 * than doing useful work (`rows: 1e9` ended in a V8 heap abort after 64 s).
 */
export const JOB_LIMITS = {
  /** Synthetic rows: 1e6 rows × the demo's features is ~100 MB of doubles. */
  maxRows: 1_000_000,
  /** Training epochs over the whole data set. */
  maxEpochs: 100_000,
  /** Branches trained at once by one ExperimentJob (each holds its data set in memory). */
  maxConcurrency: 64,
  /** Retries per branch. */
  maxRetries: 100,
  /** The ExperimentJob's name (its parent run's name), bounded like an MLflow experiment name. */
  maxNameLength: 500,
} as const;
const atMost = (limit: number) => ({ message: `must be at most ${limit.toLocaleString('en-US')} (the documented bound)` });
const params = z.record(z.string(), z.unknown());

export const ExampleJobSchema = z.strictObject({
  KIND: z.literal('ExampleJob'),
  metric: z.string().min(1).superRefine(domainRule((k) => assertValidKey('metric', k))).default('demo_metric'),
  value: numberField(z.number().default(1)),
  holdMs: numberField(int(z.number()).min(0).optional().describe('Keep the run open this long before ending it (ms).')),
});

export const PromotionJobSchema = z.strictObject({
  KIND: z.literal('PromotionJob'),
  model: modelName(),
  alias: z.string().superRefine(domainRule(assertValidAlias)).default('Champion'),
  version: numberField(int(z.number()).min(1).optional().describe('Version to promote. Default: the latest version.')),
  dryRun: booleanField(z.boolean().default(false)),
});

export const TrainingJobSchema = z.strictObject({
  KIND: z.literal('TrainingJob'),
  model: modelName(),
  runName: optionalText(),
  seed: numberField(int(z.number()).default(42)),
  rows: numberField(int(z.number()).min(1).max(JOB_LIMITS.maxRows, atMost(JOB_LIMITS.maxRows)).default(500)),
  epochs: numberField(int(z.number()).min(1).max(JOB_LIMITS.maxEpochs, atMost(JOB_LIMITS.maxEpochs)).default(200)),
  learningRate: numberField(z.number().positive().default(0.05)),
  l2: numberField(z.number().min(0).default(0.001)),
  testFraction: numberField(z.number().gt(0).lt(1).default(0.2)),
  dataPath: optionalText('CSV file to train on. Default: synthetic data.'),
  register: booleanField(z.boolean().default(true)),
});

export const InferenceJobSchema = z.strictObject({
  KIND: z.literal('InferenceJob'),
  modelUri: requiredText('models:/<name>/<version> or models:/<name>@<alias>').superRefine(
    domainRule((uri) => void parseModelUri(uri)),
  ),
  inputPath: requiredText('CSV file to score.'),
  outputPath: requiredText('Where to write the predictions.'),
});

export const ExperimentJobSchema = z
  .strictObject({
    KIND: z.literal('ExperimentJob'),
    name: requiredText('Experiment name: the parent run and its branches are grouped under it.').max(JOB_LIMITS.maxNameLength, {
      message: `must have at most ${JOB_LIMITS.maxNameLength} characters`,
    }),
    model: modelName(),
    base: params.default({}).describe('Training parameters shared by every branch.'),
    variants: z.array(params).min(1).optional().describe('Explicit branches: each one is merged over `base`.'),
    grid: z
      .record(z.string(), z.array(z.unknown()).min(1, { message: 'must list at least one value' }))
      .optional()
      .describe('Parameter → list of values; every combination becomes a branch.'),
    concurrency: numberField(int(z.number()).min(1).max(JOB_LIMITS.maxConcurrency, atMost(JOB_LIMITS.maxConcurrency)).default(4)),
    retries: numberField(int(z.number()).min(0).max(JOB_LIMITS.maxRetries, atMost(JOB_LIMITS.maxRetries)).default(0)),
    retryBackoffMs: numberField(int(z.number()).min(0).default(100)),
    failFast: booleanField(z.boolean().default(false)),
    timeoutMs: numberField(int(z.number()).min(1).optional().describe('Per-branch time limit.')),
  })
  .refine((job) => job.variants !== undefined || (job.grid !== undefined && Object.keys(job.grid).length > 0), {
    message: 'needs branches: set variants (a list of parameter sets) or grid (parameter: [values]), or both',
  });

/** The `job` section: one schema per KIND, chosen by the `KIND` field. */
export const JobConfigSchema = z.discriminatedUnion('KIND', [
  ExampleJobSchema,
  PromotionJobSchema,
  TrainingJobSchema,
  InferenceJobSchema,
  ExperimentJobSchema,
]);

export type ExampleJobConfig = z.infer<typeof ExampleJobSchema>;
export type PromotionJobConfig = z.infer<typeof PromotionJobSchema>;
export type TrainingJobConfig = z.infer<typeof TrainingJobSchema>;
export type InferenceJobConfig = z.infer<typeof InferenceJobSchema>;
export type ExperimentJobConfig = z.infer<typeof ExperimentJobSchema>;
export type JobConfig = z.infer<typeof JobConfigSchema>;
export type JobKind = JobConfig['KIND'];

/** Every job KIND with the one-line description `mlops-kit jobs` prints. */
export const JOB_DESCRIPTIONS: Readonly<Record<JobKind, string>> = {
  ExampleJob: 'Logs one metric to a new run: a smoke test of the tracking setup.',
  PromotionJob: "Points a registered model's alias (default Champion) at a version (default: the latest).",
  TrainingJob: 'Trains the demo regression model, logs params and metrics, and registers the model.',
  InferenceJob: 'Loads a registered model (models:/name/3 or models:/name@alias) and scores a CSV file.',
  ExperimentJob: 'Runs training branches (variants and/or a grid) concurrently, with retries, under one parent run.',
};

/** The valid values of `job.KIND`, in the order they are documented. */
export const JOB_KINDS = Object.keys(JOB_DESCRIPTIONS) as readonly JobKind[];

const KINDS_WITH_MODEL = new Set<string>(
  JobConfigSchema.options.filter((option) => 'model' in option.shape).map((option) => option.shape.KIND.value),
);

/**
 * Fills `job.model` from MLOPS_MODEL_NAME when the job has a `model` field and the config left it unset.
 * Runs in the loader before validation because zod never sees the environment. Returns a new object.
 *
 * @example applyJobEnvDefaults({ KIND: 'PromotionJob' }, { MLOPS_MODEL_NAME: 'churn' }); // { KIND: 'PromotionJob', model: 'churn' }
 */
export function applyJobEnvDefaults(job: unknown, env: EnvMap): unknown {
  if (!isMapping(job) || typeof job.KIND !== 'string' || !KINDS_WITH_MODEL.has(job.KIND)) return job;
  const fromEnv = env[MODEL_NAME_ENV];
  if (job.model !== undefined || fromEnv === undefined || fromEnv === '') return job;
  return { ...job, model: fromEnv };
}
