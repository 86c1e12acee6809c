import { Controller, Get, HttpStatus, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { Response } from 'express';
import { HealthIndicators, NON_CRITICAL } from './health-indicators';

type HealthReport = Omit<HealthCheckResult, 'status'> & { status: HealthCheckResult['status'] | 'degraded' };

/**
 * Liveness and readiness, in terminus's shape (status, info, error, details). 503 when the event store
 * does not answer or the service is shutting down. A stopped projection or an unreachable Redis is
 * "degraded" with 200: reads may be stale and background jobs wait, but the API keeps serving, so a
 * load balancer must not take it out of rotation for that.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicators,
  ) {}

  @Get()
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    try {
      const head = this.indicators.head();
      head.catch(() => undefined); // reported by the event store indicator
      return await this.health.check([
        () => this.indicators.eventStore(head),
        () => this.indicators.projections(head),
        () => this.indicators.redis(),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      const failing = Object.keys(result.error ?? {});
      if (result.status !== 'error' || !failing.every((key) => NON_CRITICAL.has(key))) throw error;
      response.status(HttpStatus.OK);
      return { ...result, status: 'degraded' };
    }
  }
}
