import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { serveMetrics, type MetricsEndpoint } from '@app/jobs';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ApiMetrics } from './api-metrics';

/**
 * With METRICS_PORT set, /metrics is also served on that port without a token, for a scraper on the
 * internal network: the port is not published (docker-compose.yml) and serves nothing else.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private endpoint: MetricsEndpoint | null = null;

  constructor(
    private readonly metrics: ApiMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The port it listens on (the one asked for, or the one given for port 0), null when off. */
  get port(): number | null {
    return this.endpoint?.port ?? null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.metricsPort === undefined) return;
    this.endpoint = await serveMetrics(
      () => this.metrics.scrape(),
      { port: this.config.metricsPort, host: this.config.metricsHost },
      (message) => this.logger.error(message),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.endpoint?.close();
    this.endpoint = null;
  }
}
