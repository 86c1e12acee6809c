import {
  Controller,
  Get,
  Headers,
  HttpStatus,
  Inject,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { administersEveryDistrict } from '@app/domain';
import { actorFromToken, bearerToken } from '../auth/tokens';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { HealthIndicators, NON_CRITICAL } from './health-indicators';

type HealthStatus = HealthCheckResult['status'] | 'degraded';
type HealthReport = Omit<HealthCheckResult, 'status'> & { status: HealthStatus };

/** Paths the rate limiter lets through: probes must never be told 429, whoever shares their address. */
export const HEALTH_PATHS = new Set(['/health', '/health/', '/health/live', '/health/live/']);

/**
 * Liveness and readiness, outside the rate limiter.
 *
 * - `/health/live`: the process runs and answers; nothing is checked, nothing is told.
 * - `/health`: readiness. 503 when the event store does not answer or the service is shutting down. A
 *   stopped projection or an unreachable Redis is "degraded" with 200: reads may be stale and background
 *   jobs wait, but the API keeps serving, so a load balancer must not take it out of rotation for that.
 *   Anyone gets the status; the details (terminus's info, error and details: read models with their
 *   checkpoints and lag, event ids and errors) only an administrator of every district, as on the queue
 *   board: they describe every district's data.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicators,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get()
  async check(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HealthReport | { status: HealthStatus }> {
    const report = await this.readiness();
    // "error" and "shutting_down" take the instance out of rotation
    const ready = report.status === 'ok' || report.status === 'degraded';
    reply.code(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return this.mayReadDetails(authorization) ? report : { status: report.status };
  }

  private async readiness(): Promise<HealthReport> {
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
      if (result.status !== 'error' || !failing.every((key) => NON_CRITICAL.has(key))) return result;
      return { ...result, status: 'degraded' };
    }
  }

  /** A valid token of a global ADMIN; anything else (none, invalid, another role) sees the status only. */
  private mayReadDetails(authorization: string | undefined): boolean {
    const token = bearerToken(authorization);
    if (!token) return false;
    try {
      const actor = actorFromToken(token, this.config.tokens);
      return administersEveryDistrict(actor);
    } catch {
      return false;
    }
  }
}
