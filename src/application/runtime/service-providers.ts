import type { IAlerter } from '../../domain/ports/alerter';
import type { ILogger } from '../../domain/ports/logger';
import type { IModelLoader } from '../../domain/ports/model-loader';
import type { IModelRegistry } from '../../domain/ports/model-registry';
import type { ITracker } from '../../domain/ports/tracker';

/**
 * Where the runtime gets its adapters: called on first use, so an unused adapter is never even built.
 * A tracker or registry that also implements HealthReporting (the built-in ones do) is probed by
 * `runtime.health()`; a `start({ required: true })` is how the runtime starts the ones named at boot.
 *
 * @example const services: ServiceProviders = { logger: () => logger, alerter: () => alerter, tracker: () => tracker, registry: () => registry, models: () => loader };
 */
export interface ServiceProviders {
  logger(): ILogger;
  alerter(): IAlerter;
  tracker(): ITracker;
  registry(): IModelRegistry;
  models(): IModelLoader;
}
