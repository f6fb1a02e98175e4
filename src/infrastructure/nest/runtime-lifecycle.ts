import { type BeforeApplicationShutdown, Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { JobRuntime } from '../../application/runtime/job-runtime';
import type { MlopsModuleOptions } from './module-options';
import { MLOPS_EFFECTIVE_OPTIONS, MLOPS_RUNTIME } from './tokens';

/**
 * Ties the runtime to Nest's lifecycle: started at module init (so services named in `startServices`
 * fail the boot, not a request), closed in `beforeApplicationShutdown`. Not `onApplicationShutdown`:
 * Nest closes the HTTP server between the two and waits there for in-flight requests, which may be
 * waiting on jobs, so a close in `onApplicationShutdown` would start only after them and `deadlineMs`
 * would never apply.
 */
@Injectable()
export class RuntimeLifecycle implements OnModuleInit, BeforeApplicationShutdown {
  constructor(
    @Inject(MLOPS_RUNTIME) private readonly runtime: JobRuntime,
    @Inject(MLOPS_EFFECTIVE_OPTIONS) private readonly options: MlopsModuleOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    try {
      await this.runtime.start({ services: this.options.startServices ?? [] });
    } catch (error) {
      // the boot fails: stop what did start (the logger, a registry that logged in) so nothing lingers
      await this.runtime.close({ deadlineMs: 0 }).catch(() => undefined);
      throw error;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runtime.close(this.options.shutdown);
  }
}
