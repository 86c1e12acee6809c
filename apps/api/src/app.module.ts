import { Module } from '@nestjs/common';
import { HealthController } from './health/health.controller';

/** Wiring only. The GraphQL API, the event store and projections are added as their slices land. */
@Module({ controllers: [HealthController] })
export class AppModule {}
