import path from 'node:path';
import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { loadConfig, type Profile } from 'mlops-kit';
import { MlopsExceptionFilter, MlopsModule } from 'mlops-kit/nest';
import { APP_JOBS } from './app-jobs';
import { HealthController } from './health.controller';
import { ModelsController } from './models.controller';

@Module({
  imports: [
    // the factory runs once at boot; a test changes its result through MLOPS_TEST_OPTIONS (see app.e2e.test.ts)
    MlopsModule.forRootAsync({
      useFactory: () => {
        const { config, env } = loadConfig({ files: [process.env.MLOPS_CONFIG ?? path.join(__dirname, 'mlops.yaml')], requireJob: false });
        return {
          config,
          env,
          profile: (process.env.MLOPS_PROFILE ?? 'local') as Profile,
          jobs: APP_JOBS,
          // a wrong URI or a refused login fails the boot, not the first request
          startServices: ['registry'],
          // SIGTERM: running jobs get 10 s, then end KILLED; the pod is gone well within Kubernetes' 30 s
          shutdown: { deadlineMs: Number(process.env.SHUTDOWN_DEADLINE_MS ?? 10_000), graceMs: 3_000 },
        };
      },
    }),
    TerminusModule,
  ],
  controllers: [ModelsController, HealthController],
  // every mlops-kit error answers with its status from mlops-kit's one table: bad config 400, unknown model 404 …
  providers: [{ provide: APP_FILTER, useClass: MlopsExceptionFilter }],
})
export class AppModule {}
