import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { MlopsHealthIndicator } from 'mlops-kit/nest';

@Controller('health')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(MlopsHealthIndicator) private readonly mlops: MlopsHealthIndicator,
  ) {}

  /** 200 with the runtime's state while it can serve; 503 when a predictor has no model to serve. */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.mlops.isHealthy('mlops')]);
  }
}
