/**
 * `mlops-kit/nest`: mlops-kit as a NestJS 11 module — the container and its job runtime as providers,
 * started at module init and closed before shutdown with a deadline, an exception filter answering
 * mlops-kit errors with their HTTP status, a Terminus health indicator, and mlops-kit's logs in Nest's
 * log stream. Needs the optional peers `@nestjs/common` and `@nestjs/core` (an app using Nest has them);
 * nothing of Nest loads unless this entry is imported.
 *
 * @example
 * ```ts
 * import { InjectRuntime, MlopsExceptionFilter, MlopsModule, type MlopsRuntime } from 'mlops-kit/nest';
 *
 * export const APP_JOBS = [GreetJobDefinition] as const;
 *
 * @Module({
 *   imports: [MlopsModule.forRoot({ jobs: APP_JOBS, startServices: ['registry'], shutdown: { deadlineMs: 10_000 } })],
 *   controllers: [JobsController],
 *   providers: [{ provide: APP_FILTER, useClass: MlopsExceptionFilter }],
 * })
 * export class AppModule {}
 *
 * @Controller()
 * class JobsController {
 *   constructor(@InjectRuntime() private readonly runtime: MlopsRuntime<typeof APP_JOBS>) {}
 *   @Post('promote') promote(@Body() body: { model: string }) {
 *     return this.runtime.run({ KIND: 'PromotionJob', model: body.model });
 *   }
 * }
 * ```
 *
 * @packageDocumentation
 */
import 'reflect-metadata';

export { MlopsModule } from '../infrastructure/nest/mlops-module';
export type { MlopsModuleOptions, MlopsModuleAsyncOptions, MlopsTestOptions, MlopsRuntime } from '../infrastructure/nest/module-options';
export { MLOPS_RUNTIME, MLOPS_CONTAINER, MLOPS_CONTAINER_OPTIONS, MLOPS_TEST_OPTIONS, InjectRuntime, InjectContainer } from '../infrastructure/nest/tokens';
export { MlopsExceptionFilter, type MlopsErrorBody } from '../infrastructure/nest/exception-filter';
export { MlopsHealthIndicator, type MlopsHealthResult } from '../infrastructure/nest/health-indicator';
export { NestLoggerAdapter, type NestLoggerAdapterOptions } from '../infrastructure/nest/nest-logger';
