import { RuntimeClosedError } from '../../domain/errors';
import type { ILogger } from '../../domain/ports/logger';
import type { Service } from '../../domain/ports/service';

/**
 * Starts shared services once, in the order they are first needed, and stops them in reverse. Two jobs
 * that need the tracker at the same moment share one start; a service that fails to start is not
 * remembered, so the next job tries again (a server that was down at boot may be up now). A start that
 * finishes after `stopAll()` began (a close during start-up) stops that service again at once and
 * fails with RuntimeClosedError, so nothing is left running that nobody will stop.
 */
export class ServiceLifecycle {
  private readonly starting = new Map<Service, Promise<void>>();
  private readonly order: Service[] = [];
  /** Bumped by every stopAll(): a start begun in an earlier epoch must not leave its service running. */
  private epoch = 0;

  constructor(private readonly logger: () => ILogger) {}

  /**
   * Resolves when every service in `services` is started (in the order given); RuntimeClosedError if a
   * stop began meanwhile. Those in `required` start with `{ required: true }` (no fallback hides a dead backend).
   */
  async ensureStarted(services: readonly Service[], required: ReadonlySet<Service> = NONE): Promise<void> {
    const epoch = this.epoch;
    for (const service of services) {
      if (this.epoch !== epoch) throw new RuntimeClosedError();
      await this.startOnce(service, epoch, required.has(service));
    }
  }

  /**
   * Stops every started service in reverse start order; every stop is attempted, the first error thrown
   * after. Starts still in flight get `graceMs` to finish (one that finishes later stops itself).
   */
  async stopAll(graceMs = 5_000): Promise<void> {
    this.epoch += 1;
    await settledWithin([...this.starting.values()], graceMs);
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

  /** Whether `service` started and was not stopped since (for health reports). */
  isStarted(service: Service): boolean {
    return this.order.includes(service);
  }

  private startOnce(service: Service, epoch: number, required: boolean): Promise<void> {
    let starting = this.starting.get(service);
    if (starting === undefined) {
      starting = (required ? service.start({ required }) : service.start()).then(
        async () => {
          if (this.epoch !== epoch) {
            // closed while this start was in flight: stop it again rather than leave it running
            this.starting.delete(service);
            await service.stop().catch(() => undefined);
            throw new RuntimeClosedError();
          }
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

const NONE: ReadonlySet<Service> = new Set();

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** True when every promise settled within `ms`. */
export async function settledWithin(promises: Promise<unknown>[], ms: number): Promise<boolean> {
  if (promises.length === 0) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([Promise.allSettled(promises).then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
