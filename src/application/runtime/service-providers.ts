import type { IAlerter } from '../../domain/ports/alerter';
import type { ILogger } from '../../domain/ports/logger';
import type { IModelRegistry } from '../../domain/ports/model-registry';
import type { ITracker } from '../../domain/ports/tracker';

/** Where the runtime gets its adapters: called on first use, so an unused adapter is never even built. */
export interface ServiceProviders {
  logger(): ILogger;
  alerter(): IAlerter;
  tracker(): ITracker;
  registry(): IModelRegistry;
}
