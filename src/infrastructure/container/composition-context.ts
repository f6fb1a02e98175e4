import type { JobRegistry } from '../../application/jobs/job-registry';
import type { ModelFlavorLoader } from '../../domain/ports/model-loader';
import type { AppConfig } from '../config/schema';
import type { Profile } from './profiles';

/**
 * What every container module reads: the validated config, the merged environment, the profile, the
 * working directory, the job kinds. Its own file, so the modules and the bindings they call
 * (mlflow-bindings.ts, runtime-binding.ts) all import it without importing each other.
 *
 * @example const ctx: CompositionContext = { config, env: process.env, profile: 'production', cwd: process.cwd(), jobs };
 */
export interface CompositionContext {
  config: AppConfig;
  env: Record<string, string | undefined>;
  profile: Profile;
  cwd: string;
  /** What runs show as `mlflow.source.name`: the job's config file (CLI) or the app's entry script. */
  source: string;
  jobs: JobRegistry;
  /** The app's own model flavor loaders, tried before the built-in ones. */
  flavors: readonly ModelFlavorLoader[];
  /** The model loader's size bound (bytes); unset = its default, 512 MiB. */
  maxModelBytes?: number;
  alertTimeoutMs?: number;
}
