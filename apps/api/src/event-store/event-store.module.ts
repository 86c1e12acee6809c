import * as path from 'node:path';
import {
  Global,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  ProjectionRunner,
  READ_MODELS_FILE,
  openEventStore,
  openReadModelDatabase,
  type EventStore,
  type SqliteDatabase,
} from '@app/event-store';
import { EvaluationStateCache } from '@app/application';
import { apiProjections } from './api-projections';
import { ApiMetrics } from '../metrics/api-metrics';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';

export const EVENT_STORE = Symbol('EVENT_STORE');
export const READ_MODELS = Symbol('READ_MODELS');

/** Starts the read models when the app is up and stops them, then closes the stores, on shutdown. */
@Injectable()
export class StoreLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: SqliteDatabase,
    private readonly runner: ProjectionRunner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    await this.store.close();
    this.readModels.close();
  }
}

/** Wiring of the event store port, the read-model database and the projections. */
@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      inject: [APP_CONFIG, ApiMetrics],
      // Every append timed and every group commit observed for /metrics.
      useFactory: (config: AppConfig, metrics: ApiMetrics) =>
        metrics.instrument(openEventStore({ eventStoreUrl: config.eventStoreUrl, dataDir: config.dataDir })),
    },
    {
      provide: READ_MODELS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => openReadModelDatabase(path.join(config.dataDir, READ_MODELS_FILE)),
    },
    {
      provide: ProjectionRunner,
      inject: [EVENT_STORE, READ_MODELS, ApiMetrics],
      useFactory: (store: EventStore, db: SqliteDatabase, metrics: ApiMetrics) => {
        const runner = new ProjectionRunner(store, db, apiProjections());
        metrics.watchProjections(runner);
        return runner;
      },
    },
    { provide: EvaluationStateCache, useFactory: () => new EvaluationStateCache() },
    StoreLifecycle,
  ],
  exports: [EVENT_STORE, READ_MODELS, ProjectionRunner, EvaluationStateCache],
})
export class EventStoreModule {}
