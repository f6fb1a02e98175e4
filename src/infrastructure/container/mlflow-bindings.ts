import path from 'node:path';
import type { IModelRegistry } from '../../domain/ports/model-registry';
import type { ILogger } from '../../domain/ports/logger';
import type { ITracker } from '../../domain/ports/tracker';
import type { MlflowSettings } from '../tracking/mlflow';
import type { SpillLedger, SpillingTracker as SpillingTrackerType } from '../tracking/spill';
import type { CompositionContext } from './composition-context';
import { lazy } from './lazy-adapters';

/** Token of the SpillLedger the MLflow tracker and registry share (one warning per job). */
export const SPILL_LEDGER = Symbol.for('mlops-kit.SpillLedger');

/** Resolved once per composition: the ledger, the tracker and the registry all read the same settings. */
const resolved = new WeakMap<CompositionContext, MlflowSettings>();

export function mlflowSettings(ctx: CompositionContext): MlflowSettings {
  let settings = resolved.get(ctx);
  if (settings === undefined) {
    settings = lazy.mlflow().resolveMlflowSettings(ctx.config.tracking, ctx.env);
    resolved.set(ctx, settings);
  }
  return settings;
}

/** MLflow over REST; with `onUnavailable: spill` (the default) wrapped so an outage spills to a local store. */
export function mlflowTracker(ctx: CompositionContext, ledger: SpillLedger, logger: ILogger): ITracker {
  const { MlflowTracker } = lazy.mlflow();
  const settings = mlflowSettings(ctx);
  // the journal extends the batcher's queue to disk for callers that never await (in both modes)
  const overflowJournalDir = path.join(ledger.spillDir, '.overflow');
  if (settings.onUnavailable === 'fail') return new MlflowTracker(settings, { logger, batcher: { overflowJournalDir } });
  const { SpillingTracker } = lazy.spill();
  const { LocalTracker } = lazy.local();
  const spilling: SpillingTrackerType = new SpillingTracker({
    primary: new MlflowTracker(settings, {
      logger,
      batcher: {
        onUndeliverable: (runId, batch, error) => spilling.spillBatch(runId, batch, error),
        overflowJournalDir,
      },
    }),
    createSpillStore: () => new LocalTracker({ root: ledger.spillDir, experimentName: settings.experimentName, logger }),
    ledger,
    experimentName: settings.experimentName,
    logger,
  });
  return spilling;
}

export function mlflowRegistry(ctx: CompositionContext, ledger: SpillLedger, logger: ILogger): IModelRegistry {
  const { MlflowModelRegistry } = lazy.mlflow();
  const settings = mlflowSettings(ctx);
  const primary = new MlflowModelRegistry(settings, { logger });
  if (settings.onUnavailable === 'fail') return primary;
  const { SpillingModelRegistry } = lazy.spill();
  const { LocalModelRegistry } = lazy.local();
  return new SpillingModelRegistry({ primary, createSpillStore: () => new LocalModelRegistry({ root: ledger.spillDir, logger }), ledger });
}

