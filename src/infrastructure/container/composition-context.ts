import type { AppConfig } from '../config/schema';
import type { Profile } from './profiles';

/**
 * What every container module reads: the validated config, the merged environment, the profile, the
 * working directory. Its own file, so the modules and the bindings they call (mlflow-bindings.ts) both
 * import it without importing each other.
 *
 * @example const ctx: CompositionContext = { config, env: process.env, profile: 'production', cwd: process.cwd() };
 */
export interface CompositionContext {
  config: AppConfig;
  env: Record<string, string | undefined>;
  profile: Profile;
  cwd: string;
}
