import path from 'node:path';
import { runDefaults } from './run-defaults';
import type { IModelRegistry } from '../../domain/ports/model-registry';
import type { ILogger } from '../../domain/ports/logger';
import type { ITracker } from '../../domain/ports/tracker';
import type { MlflowSettings } from '../tracking/mlflow';
import type { SpillLedger } from '../tracking/spill';
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

/**
 * MLflow over REST: `TrackingClient(BatchingStore(SpillingStore(MlflowTrackingStore)))` with
 * `onUnavailable: spill` (the default), so a batch the server cannot take spills beneath the batcher;
 * with `fail`, the same without the spill layer.
 */
export function mlflowTracker(ctx: CompositionContext, ledger: SpillLedger, logger: ILogger): ITracker {
  const { MlflowTracker, MlflowTrackingStore, MlflowRestClient, LogBatcher } = lazy.mlflow();
  const settings = mlflowSettings(ctx);
  // the journal extends the batcher's queue to disk for callers that never await (in both modes)
  const batcher = { overflowJournalDir: path.join(ledger.spillDir, '.overflow') };
  if (settings.onUnavailable === 'fail') return new MlflowTracker(settings, { logger, batcher, ...runDefaults(ctx) });
  const { TrackingClient } = lazy.client();
  const { BatchingStore } = lazy.layers();
  const { SpillingStore } = lazy.spill();
  const { LocalTrackingStore } = lazy.local();
  const spilling = new SpillingStore({
    primary: new MlflowTrackingStore(settings, new MlflowRestClient(settings, { logger })),
    spill: new LocalTrackingStore(ledger.spillDir),
    ledger,
    experimentName: settings.experimentName,
    logger,
  });
  const store = new BatchingStore(spilling, (send) => new LogBatcher({ ...batcher, logger, send }));
  return new TrackingClient(store, { experimentName: settings.experimentName, logger, serviceName: 'tracker:mlflow', ...runDefaults(ctx) });
}

export function mlflowRegistry(ctx: CompositionContext, ledger: SpillLedger, logger: ILogger): IModelRegistry {
  const { MlflowModelRegistry, MlflowRegistryStore, MlflowRestClient } = lazy.mlflow();
  const settings = mlflowSettings(ctx);
  if (settings.onUnavailable === 'fail') return new MlflowModelRegistry(settings, { logger });
  const { RegistryClient } = lazy.client();
  const { SpillingRegistryStore } = lazy.spill();
  const { LocalRegistryStore } = lazy.local();
  const primary = new MlflowRegistryStore(settings, new MlflowRestClient(settings, { baseUri: settings.registryUri, logger }));
  const store = new SpillingRegistryStore({ primary, spill: new LocalRegistryStore(ledger.spillDir), ledger });
  return new RegistryClient(store, { logger, serviceName: 'registry:mlflow' });
}
