import path from 'node:path';
import { runDefaults } from './run-defaults';
import { ContainerModule } from 'inversify';
import type { IAlerter } from '../../domain/ports/alerter';
import type { ILogger } from '../../domain/ports/logger';
import type { IModelLoader } from '../../domain/ports/model-loader';
import type { IModelRegistry } from '../../domain/ports/model-registry';
import type { ITracker } from '../../domain/ports/tracker';
import { TYPES } from '../../domain/tokens';
import type { SpillLedger } from '../tracking/spill';
import { mlflowRegistry, mlflowSettings, mlflowTracker, SPILL_LEDGER } from './mlflow-bindings';
import { lazy } from './lazy-adapters';
import type { CompositionContext } from './composition-context';
import { CONFIG } from './internal-tokens';
import { containerSecrets } from './container-secrets';
import { selectTrackingBackend, type TrackingBackend } from './tracking-backend';
import { ConfigError, ErrorCodes } from '../../domain/errors';

export function configModule(ctx: CompositionContext): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(CONFIG).toConstantValue(ctx.config);
    bind(TYPES.Clock).toConstantValue(() => Date.now());
  });
}

export function loggingModule(ctx: CompositionContext): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<ILogger>(TYPES.Logger)
      .toDynamicValue(() => {
        const { WinstonLogger, MemoryLogger } = lazy.logging();
        const secrets = knownSecrets(ctx);
        if (ctx.profile === 'test') return new MemoryLogger({ secrets });
        const { level, sink, format } = ctx.config.logging;
        return new WinstonLogger({ level, sink, format: ctx.profile === 'production' ? 'json' : format, secrets });
      })
      .inSingletonScope();
  });
}

export function alertingModule(ctx: CompositionContext): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<IAlerter>(TYPES.Alerter)
      .toDynamicValue((context) => {
        const { DesktopAlerter, LoggerAlerter, MemoryAlerter } = lazy.alerting();
        if (ctx.profile === 'test') return new MemoryAlerter();
        const appName = ctx.config.app.name;
        // alerts off: each alert is a line of the app's one log stream (JSON in json mode), not a bare stderr line
        const logger = context.get<ILogger>(TYPES.Logger).child('alerts');
        if (!ctx.config.alerts.enabled) return new LoggerAlerter(logger, { appName });
        // headless (a server, CI): the desktop alerter's fallback goes to the same log stream
        return new DesktopAlerter({ appName, secrets: knownSecrets(ctx), logger });
      })
      .inSingletonScope();
  });
}

export function trackingModule(ctx: CompositionContext): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const tracking = ctx.config.tracking;
    const trackingUri = tracking.uri ?? ctx.env.MLFLOW_TRACKING_URI;
    const registryUri = tracking.registryUri ?? ctx.env.MLFLOW_REGISTRY_URI ?? trackingUri;
    const backend = chooseBackend(ctx, trackingUri, 'tracking.uri');
    const registryBackend = chooseBackend(ctx, registryUri, 'tracking.registryUri');
    const experimentName = tracking.experimentName ?? ctx.env.MLFLOW_EXPERIMENT_NAME ?? 'Default';

    bind<SpillLedger>(SPILL_LEDGER)
      .toDynamicValue(() => {
        const { SpillLedger } = lazy.spill();
        const settings = mlflowSettings(ctx);
        return new SpillLedger(path.resolve(ctx.cwd, settings.spillDir), settings.trackingUri);
      })
      .inSingletonScope();

    bind<ITracker>(TYPES.Tracker)
      .toDynamicValue((context) => {
        const logger = context.get<ILogger>(TYPES.Logger).child('tracker');
        switch (backend.kind) {
          case 'memory': {
            const { InMemoryTracker } = lazy.memory();
            return new InMemoryTracker({ experimentName, logger, ...runDefaults(ctx) });
          }
          case 'noop': {
            const { NoOpTracker } = lazy.noop();
            return new NoOpTracker();
          }
          case 'local': {
            const { LocalTracker } = lazy.local();
            return new LocalTracker({ root: backend.root, experimentName, logger, ...runDefaults(ctx) });
          }
          case 'mlflow':
            return mlflowTracker(ctx, context.get<SpillLedger>(SPILL_LEDGER), logger);
        }
      })
      .inSingletonScope();

    bind<IModelRegistry>(TYPES.ModelRegistry)
      .toDynamicValue((context) => {
        const logger = context.get<ILogger>(TYPES.Logger).child('registry');
        switch (registryBackend.kind) {
          case 'memory': {
            const { InMemoryModelRegistry } = lazy.memory();
            return new InMemoryModelRegistry({ logger });
          }
          case 'noop': {
            const { NoOpModelRegistry } = lazy.noop();
            return new NoOpModelRegistry();
          }
          case 'local': {
            const { LocalModelRegistry } = lazy.local();
            return new LocalModelRegistry({ root: registryBackend.root, logger });
          }
          case 'mlflow':
            return mlflowRegistry(ctx, context.get<SpillLedger>(SPILL_LEDGER), logger);
        }
      })
      .inSingletonScope();
  });
}

/** The model loader: the app's flavor loaders first, then the built-in ones; downloads through the tracker. */
export function modelsModule(ctx: CompositionContext): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<IModelLoader>(TYPES.ModelLoader)
      .toDynamicValue((context) => {
        const { ModelLoader } = lazy.models();
        return new ModelLoader({
          tracker: context.get<ITracker>(TYPES.Tracker),
          registry: context.get<IModelRegistry>(TYPES.ModelRegistry),
          flavors: ctx.flavors,
          logger: context.get<ILogger>(TYPES.Logger).child('models'),
          ...(ctx.maxModelBytes !== undefined && { maxModelBytes: ctx.maxModelBytes }),
        });
      })
      .inSingletonScope();
  });
}

/** The test profile defaults to memory; production insists on a server (see profiles.ts). */
function chooseBackend(ctx: CompositionContext, uri: string | undefined, keyPath: string): TrackingBackend {
  if (ctx.profile === 'test' && !uri) return { kind: 'memory' };
  const backend = selectTrackingBackend(uri, ctx.cwd, keyPath);
  if (ctx.profile === 'production' && backend.kind !== 'mlflow') {
    throw new ConfigError(
      `${keyPath}: the production profile needs an MLflow server URI (http(s)://…), got ${uri ? `a ${backend.kind} store` : 'none'}. Set MLFLOW_TRACKING_URI or ${keyPath}, or use --profile local.`,
      ErrorCodes.CONFIG_INVALID,
      { details: { keyPath } },
    );
  }
  return backend;
}

/** Every secret value the logger and the alerter must hide: from the environment and from the config. */
function knownSecrets(ctx: CompositionContext): string[] {
  return containerSecrets(ctx.config, ctx.env);
}
