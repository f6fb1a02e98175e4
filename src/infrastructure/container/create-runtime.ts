import type { AnyJobDefinition } from '../../application/jobs/job-definition';
import type { JobRuntime } from '../../application/runtime/job-runtime';
import { RUNTIME } from './internal-tokens';
import type { MlopsContainer } from './mlops-container';

/**
 * The container's job runtime (one per container): start it at boot, run jobs on it, close it at
 * shutdown. Calling it again returns the same runtime.
 *
 * @example
 * const runtime = createRuntime(createContainer({ config, env }));
 * await runtime.start();
 * const result = await runtime.run({ KIND: 'PromotionJob', model: 'bike-demand', alias: 'Champion' });
 * await runtime.close();
 */
export function createRuntime<D extends AnyJobDefinition>(container: MlopsContainer<D>): JobRuntime<D> {
  return container.get<JobRuntime<D>>(RUNTIME);
}
