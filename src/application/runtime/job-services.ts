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
export function jobContext(
  definition: AnyJobDefinition,
  ports: readonly JobPort[],
  providers: ServiceProviders,
  alerter: IAlerter,
  logger: ILogger,
  signal: AbortSignal,
): JobContext {
  // getters, not values: an undeclared port is never built, and never spread (spreading would call them)
  return {
    logger,
    alerter,
    signal,
    get tracker() {
      return declared(definition, ports, 'tracker', providers.tracker);
    },
    get registry() {
      return declared(definition, ports, 'registry', providers.registry);
    },
    get models() {
      return declared(definition, ports, 'models', providers.models);
    },
  };
}

function declared<T>(definition: AnyJobDefinition, ports: readonly JobPort[], port: JobPort, provide: () => T): T {
  if (!ports.includes(port)) {
    throw new MlopsError(
      ErrorCodes.JOB_FAILED,
      `${definition.kind} used the ${port}, but its definition does not list it in \`uses\`; add '${port}' to uses so the runtime starts it.`,
      { details: { kind: definition.kind, port } },
    );
  }
  return provide();
}
