import { ContainerModule } from 'inversify';
import { JobRuntime } from '../../application/runtime/job-runtime';
import { TYPES } from '../../domain/tokens';
import { validateJobSection } from '../config/job-schemas';
import type { CompositionContext } from './composition-context';
import { RUNTIME } from './internal-tokens';

/** An inline job config's errors name no origin: they may reach an HTTP client, which knows no `runtime.run()`. */
const INLINE_ORIGIN = '';

/**
 * Binds the container's one JobRuntime. Its services come from the container on first use, so the
 * adapters a job kind never uses are never built, and overrides (applied before any resolve) win.
 */
export function runtimeModule(ctx: CompositionContext): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(RUNTIME)
      .toDynamicValue(({ get }) => {
        return new JobRuntime({
          jobs: ctx.jobs,
          services: {
            logger: () => get(TYPES.Logger),
            alerter: () => get(TYPES.Alerter),
            tracker: () => get(TYPES.Tracker),
            registry: () => get(TYPES.ModelRegistry),
            models: () => get(TYPES.ModelLoader),
          },
          ...(ctx.alertTimeoutMs !== undefined && { alertTimeoutMs: ctx.alertTimeoutMs }),
          validate: (job) => validateJobSection(job, ctx.jobs, ctx.env, INLINE_ORIGIN),
        });
      })
      .inSingletonScope();
  });
}
