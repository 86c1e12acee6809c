import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { loadConfig, type AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { AuthModule } from './auth/auth.module';
import { EventStoreModule } from './event-store/event-store.module';
import { GraphqlApiModule } from './graphql/graphql-api.module';
import { TerminusModule } from '@nestjs/terminus';
import { QueueBoard } from './admin/queue-board';
import { AuditModule } from './audit/audit.module';
import { CommonModule } from './common/common.module';
import { DashboardsModule } from './dashboards/dashboards.module';
import { CyclesModule } from './cycles/cycles.module';
import { NotificationsModule } from './notifications/notifications.module';
import { EvaluationsModule } from './evaluations/evaluations.module';
import { RegistryModule } from './registry/registry.module';
import { ReportsModule } from './reports/reports.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { HealthController } from './health/health.controller';
import { HealthIndicators } from './health/health-indicators';
import { RedisHealth } from './redis/redis-health';
import { HTTP_LOGGER, rootLogger } from './http/request-logging';
import { UnexpectedErrorsFilter } from './http/unexpected-errors.filter';
import { MetricsModule } from './metrics/metrics.module';

/** Wiring only: configuration, structured logs, the event store with its read models, GraphQL and health. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    const httpLogger = rootLogger(config);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        // Nest's own logs go through the service's pino logger. No routes: nestjs-pino's per-request
        // AsyncLocalStorage turns on promise hooks for every promise (Node 20), and requestLogging,
        // installed first in configureApp, gives each request its correlation id.
        LoggerModule.forRoot({ pinoHttp: { logger: httpLogger }, useExisting: true, forRoutes: [] }),
        MetricsModule,
        AuthModule,
        EventStoreModule,
        GraphqlApiModule,
        CommonModule,
        // One module per slice, each owning its resolvers, queries and types.
        EvaluationsModule,
        AuditModule,
        DashboardsModule,
        ReportsModule,
        CyclesModule,
        NotificationsModule,
        RegistryModule,
        SubscriptionsModule,
        // Failures are in the /health body and in the Redis and projection logs already.
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [HealthController],
      providers: [
        RedisHealth,
        HealthIndicators,
        QueueBoard,
        { provide: HTTP_LOGGER, useValue: httpLogger },
        // Every exception, GraphQL and REST: Nest's default handler would log client errors as errors.
        { provide: APP_FILTER, useClass: UnexpectedErrorsFilter },
      ],
    };
  }
}
