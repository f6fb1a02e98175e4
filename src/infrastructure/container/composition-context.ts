import type { JobRegistry } from '../../application/jobs/job-registry';
import type { AppConfig } from '../config/schema';
import type { Profile } from './profiles';

/** What every module reads: the validated config, the merged environment, the profile, the job kinds. */
export interface CompositionContext {
  config: AppConfig;
  env: Record<string, string | undefined>;
  profile: Profile;
  cwd: string;
  jobs: JobRegistry;
  alertTimeoutMs?: number;
}
