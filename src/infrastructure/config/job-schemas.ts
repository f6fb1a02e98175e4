import { BUILTIN_JOBS } from '../../application/jobs/builtin-jobs';
import type { AnyJobDefinition } from '../../application/jobs/job-definition';
import { JobRegistry } from '../../application/jobs/job-registry';
import { MODEL_NAME_ENV } from '../../application/jobs/schemas/rules';
import { z } from 'zod';
import type { EnvMap } from './env';
import { isMapping } from './tree';
import { validateAgainst } from './validate';

/**
 * A `job:` section after validation: its KIND and that kind's fields with defaults applied.
 *
 * @example const job: JobSection | undefined = config.job; if (job) logger.info('job configured', { kind: job.KIND });
 */
export type JobSection = { readonly KIND: string } & Readonly<Record<string, unknown>>;

/** The registry of the built-in kinds, for configs parsed without an app's own kinds. */
export const BUILTIN_JOB_REGISTRY = new JobRegistry<AnyJobDefinition>(BUILTIN_JOBS);

/** The built-in job KINDs, in the order they are documented. */
export const JOB_KINDS = BUILTIN_JOB_REGISTRY.kinds;

/** Kinds whose schema has a `model` field: MLOPS_MODEL_NAME fills it when unset. */
const kindsWithModel = new WeakMap<JobRegistry, Set<string>>();

function modelKinds(jobs: JobRegistry): Set<string> {
  let kinds = kindsWithModel.get(jobs);
  if (kinds === undefined) {
    kinds = new Set(jobs.definitions.filter((d) => 'model' in d.schema.shape).map((d) => d.kind));
    kindsWithModel.set(jobs, kinds);
  }
  return kinds;
}

/**
 * Fills `job.model` from MLOPS_MODEL_NAME when the job's kind has a `model` field and the config left it
 * unset. Runs in the loader before validation because zod never sees the environment. Returns a new object.
 *
 * @example applyJobEnvDefaults({ KIND: 'PromotionJob' }, { MLOPS_MODEL_NAME: 'churn' }); // { KIND: 'PromotionJob', model: 'churn' }
 */
export function applyJobEnvDefaults(job: unknown, env: EnvMap, jobs: JobRegistry = BUILTIN_JOB_REGISTRY): unknown {
  if (!isMapping(job) || typeof job.KIND !== 'string' || !modelKinds(jobs).has(job.KIND)) return job;
  const fromEnv = env[MODEL_NAME_ENV];
  if (job.model !== undefined || fromEnv === undefined || fromEnv === '') return job;
  return { ...job, model: fromEnv };
}

const sectionSchemas = new WeakMap<JobRegistry, z.ZodType>();

/**
 * Validates a `job:` section that did not come from a config file (`runtime.run`, a queue payload) the way
 * the loader does: MLOPS_MODEL_NAME filled from `env`, then the kind's schema, one ConfigError naming
 * `origin` and the key path (`job.<key>`). Returns the section with its defaults.
 *
 * @example validateJobSection({ KIND: 'PromotionJob' }, BUILTIN_JOB_REGISTRY, process.env, 'enqueue()'); // { KIND, model, alias: 'Champion', … }
 */
export function validateJobSection(job: unknown, jobs: JobRegistry, env: EnvMap, origin: string): JobSection {
  let schema = sectionSchemas.get(jobs);
  if (schema === undefined) {
    schema = z.strictObject({ job: jobs.schema });
    sectionSchemas.set(jobs, schema);
  }
  return (validateAgainst(schema, { job: applyJobEnvDefaults(job, env, jobs) }, () => origin) as { job: JobSection }).job;
}
