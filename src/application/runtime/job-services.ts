import { MlopsError, ErrorCodes } from '../../domain/errors';
import type { IAlerter } from '../../domain/ports/alerter';
import type { ILogger } from '../../domain/ports/logger';
import type { JobContext } from '../jobs/job';
import type { AnyJobDefinition, JobPort } from '../jobs/job-definition';
import type { ServiceProviders } from './service-providers';

/**
 * The services one job sees: the shared logger and alerter, and the ports its definition `uses`. A port
 * it did not declare was never started for it, so touching it is a programming error named at once
 * rather than a confusing failure inside an adapter.
 */
export function jobContext(definition: AnyJobDefinition, providers: ServiceProviders, alerter: IAlerter, logger: ILogger, signal: AbortSignal): JobContext {
  // getters, not values: an undeclared port is never built, and never spread (spreading would call them)
  return {
    logger,
    alerter,
    signal,
    get tracker() {
      return declared(definition, 'tracker', providers.tracker);
    },
    get registry() {
      return declared(definition, 'registry', providers.registry);
    },
  };
}

function declared<T>(definition: AnyJobDefinition, port: JobPort, provide: () => T): T {
  if (!definition.uses.includes(port)) {
    throw new MlopsError(
      ErrorCodes.JOB_FAILED,
      `${definition.kind} used the ${port}, but its definition does not list it in \`uses\`; add '${port}' to uses so the runtime starts it.`,
      { details: { kind: definition.kind, port } },
    );
  }
  return provide();
}
