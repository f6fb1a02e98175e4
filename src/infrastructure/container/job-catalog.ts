import type { Job, JobServices } from '../../application/jobs/job';
import { ExampleJob, type ExampleJobConfig } from '../../application/jobs/example-job';
import { PromotionJob } from '../../application/jobs/promotion-job';
import { TrainingJob } from '../../application/jobs/training-job';
import { InferenceJob } from '../../application/jobs/inference-job';
import { ExperimentJob } from '../../application/jobs/experiment-job';
import type {
  ExperimentJobConfig,
  InferenceJobConfig,
  PromotionJobConfig,
  TrainingJobConfig,
} from '../../application/jobs/job-configs';
import { JOB_DESCRIPTIONS } from '../config/job-schemas';

/** How the container builds one job kind: jobs are plain classes, so the catalog holds their factories. */
export interface JobEntry {
  kind: string;
  description: string;
  create(services: JobServices, config: { KIND: string }): Job;
}

/** Every job KIND the CLI and the container know. Apps add their own with `container.bind`. */
export const JOB_CATALOG: readonly JobEntry[] = [
  {
    kind: 'TrainingJob',
    description: JOB_DESCRIPTIONS.TrainingJob,
    create: (services, config) => new TrainingJob(services, config as TrainingJobConfig),
  },
  {
    kind: 'PromotionJob',
    description: JOB_DESCRIPTIONS.PromotionJob,
    create: (services, config) => new PromotionJob(services, config as PromotionJobConfig),
  },
  {
    kind: 'ExperimentJob',
    description: JOB_DESCRIPTIONS.ExperimentJob,
    create: (services, config) => new ExperimentJob(services, config as ExperimentJobConfig),
  },
  {
    kind: 'InferenceJob',
    description: JOB_DESCRIPTIONS.InferenceJob,
    create: (services, config) => new InferenceJob(services, config as InferenceJobConfig),
  },
  {
    kind: 'ExampleJob',
    description: JOB_DESCRIPTIONS.ExampleJob,
    create: (services, config) => new ExampleJob(services, config as ExampleJobConfig),
  },
];

export function findJobEntry(kind: string): JobEntry | undefined {
  return JOB_CATALOG.find((entry) => entry.kind === kind);
}
