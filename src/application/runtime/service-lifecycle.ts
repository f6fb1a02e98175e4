import type { ILogger } from '../../domain/ports/logger';
import type { Service } from '../../domain/ports/service';

/**
 * Starts shared services once, in the order they are first needed, and stops them in reverse. Two jobs
 * that need the tracker at the same moment share one start; a service that fails to start is not
 * remembered, so the next job tries again (a server that was down at boot may be up now).
 */
export class ServiceLifecycle {
  private readonly starting = new Map<Service, Promise<void>>();
  private readonly order: Service[] = [];

  constructor(private readonly logger: () => ILogger) {}

  /** Resolves when every service in `services` is started (in the order given). */
  async ensureStarted(services: readonly Service[]): Promise<void> {
    for (const service of services) await this.startOnce(service);
  }

  /** Stops every started service in reverse start order; every stop is attempted, the first error thrown after. */
  async stopAll(): Promise<void> {
    await Promise.allSettled(this.starting.values());
    const toStop = this.order.splice(0).reverse();
    this.starting.clear();
    let firstError: unknown;
    for (const service of toStop) {
      const isLogger = service === (this.logger() as Service);
      try {
        // the logger goes last and still records its own [STOP] line
        if (isLogger) this.logger().info(`[STOP] ${service.serviceName}`, { source: 'runtime' });
        await service.stop();
        if (!isLogger) this.logger().info(`[STOP] ${service.serviceName}`, { source: 'runtime' });
      } catch (error) {
        firstError ??= error;
        if (!isLogger) this.logger().error(`Error while stopping ${service.serviceName}: ${describe(error)}`, { source: 'runtime' });
      }
    }
    if (firstError !== undefined) throw firstError;
  }

  private startOnce(service: Service): Promise<void> {
    let starting = this.starting.get(service);
    if (starting === undefined) {
      starting = service.start().then(
        () => {
          this.order.push(service);
          this.logger().info(`[START] ${service.serviceName}`, { source: 'runtime' });
        },
        (error: unknown) => {
          this.starting.delete(service);
          throw error;
        },
      );
      this.starting.set(service, starting);
    }
    return starting;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
