import {
  Controller,
  Get,
  Header,
  HttpStatus,
  Inject,
  Injectable,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { administersEveryDistrict } from '@app/domain';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { actorFromAuthorization, refuse } from '../http/http-auth';
import { ApiMetrics } from './api-metrics';

/** 401 UNAUTHENTICATED without a valid token, 403 FORBIDDEN for anyone but an administrator of every district. */
@Injectable()
export class EveryDistrictAdmin implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(execution: ExecutionContext): boolean {
    const { headers } = execution
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined> }>();
    const actor = actorFromAuthorization(headers.authorization, this.config.tokens);
    if (!administersEveryDistrict(actor))
      throw refuse(HttpStatus.FORBIDDEN, 'FORBIDDEN', 'metrics are for an administrator of every district');
    return true;
  }
}

/**
 * GET /metrics on the API's port, for an administrator of every district only (the figures describe
 * every district's traffic). A scraper without a token uses METRICS_PORT instead (metrics-server.ts),
 * a port that is not published.
 */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ApiMetrics) {}

  @Get()
  @UseGuards(EveryDistrictAdmin)
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('cache-control', 'no-store')
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}
