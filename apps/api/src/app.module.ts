import { Module, type DynamicModule } from '@nestjs/common';
import { loadConfig, type AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { EventStoreModule } from './event-store/event-store.module';
import { HealthController } from './health/health.controller';

/** Wiring only: configuration, the event store with its read models, and the HTTP endpoints. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), EventStoreModule],
      controllers: [HealthController],
    };
  }
}
