import type { RunDefaults } from '../tracking/client/tracking-client-options';
import { detectRunSource } from '../tracking/source/run-source';
import type { CompositionContext } from './composition-context';

/**
 * What every run of the container's tracker starts with: the `mlflow.source.*` tags (the config file or
 * the app's entry, and the git checkout around `cwd`, read once per process) and `tracking.systemMetrics`.
 *
 * @example new LocalTracker({ root, experimentName, logger, ...runDefaults(ctx) });
 */
export function runDefaults(ctx: CompositionContext): RunDefaults {
  return {
    sourceTags: () => detectRunSource({ cwd: ctx.cwd, sourceName: ctx.source }),
    systemMetrics: ctx.config.tracking.systemMetrics,
  };
}
