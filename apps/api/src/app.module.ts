import { randomUUID } from 'node:crypto';
import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { stdSerializers } from 'pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadConfig, type AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { EventStoreModule } from './event-store/event-store.module';
import { GraphqlApiModule } from './graphql/graphql-api.module';
import { TerminusModule } from '@nestjs/terminus';
import { QueueBoard } from './admin/queue-board';
import { EvaluationFilesController } from './evaluations/evaluation-files.controller';
import { HealthController } from './health/health.controller';
import { HealthIndicators } from './health/health-indicators';
import { RedisHealth } from './redis/redis-health';
import { ReportsController } from './reports/reports.controller';

const CORRELATION_HEADER = 'x-correlation-id';

/** A caller's correlation id is kept (if sane) so their logs and our events line up; otherwise a new one. */
function correlationId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers[CORRELATION_HEADER];
  const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
  res.setHeader(CORRELATION_HEADER, id);
  return id;
}

/** Wiring only: configuration, structured logs, the event store with its read models, GraphQL and health. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            genReqId: correlationId,
            // Access logs are written at info; below that level the per-request bookkeeping is skipped.
            autoLogging: ['trace', 'debug', 'info'].includes(config.logLevel),
            customAttributeKeys: { reqId: 'correlationId' },
            // pino binds the request to a child logger on every request, log level or not: keep that to
            // method and URL (headers, with their tokens, are never logged, so nothing needs redacting).
            wrapSerializers: false,
            serializers: {
              // A `?token=` (the queue board's sign-in link) never reaches the logs.
              req: (req: IncomingMessage) => ({
                method: req.method,
                url: req.url?.replace(/([?&]token=)[^&]*/, '$1[redacted]'),
              }),
              res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
              err: stdSerializers.err,
            },
          },
        }),
        EventStoreModule,
        GraphqlApiModule,
        // Failures are in the /health body and in the Redis and projection logs already.
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [HealthController, ReportsController, EvaluationFilesController],
      providers: [RedisHealth, HealthIndicators, QueueBoard],
    };
  }
}
