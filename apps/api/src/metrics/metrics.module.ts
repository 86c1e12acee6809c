import { Global, Module } from '@nestjs/common';
import { ApiMetrics } from './api-metrics';
import { MetricsController } from './metrics.controller';
import { MetricsServer } from './metrics-server';

/** Prometheus metrics: one registry per app, served at /metrics (ADMIN) and on METRICS_PORT when set. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [ApiMetrics, MetricsServer],
  exports: [ApiMetrics, MetricsServer],
})
export class MetricsModule {}
