import * as path from 'node:path';
import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  ProjectionRunner,
  ProjectionThread,
  READ_MODELS_FILE,
  openEventStore,
  openReadModelDatabase,
  type EventStore,
  type ProjectionHost,
  type SqliteDatabase,
} from '@app/event-store';
import { EvaluationStateCache } from '@app/application';
import { apiProjections } from './api-projections';
import { ApiMetrics } from '../metrics/api-metrics';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';

export const EVENT_STORE = Symbol('EVENT_STORE');
export const READ_MODELS = Symbol('READ_MODELS');
/** The read models' projections (a ProjectionHost): their status, and read-your-writes waits. */
export const PROJECTIONS = Symbol('PROJECTIONS');

/** The store as opened, before metrics wrap it: its commits wake the projection thread. */
const OPENED_EVENT_STORE = Symbol('OPENED_EVENT_STORE');

/** Starts the read models when the app is up and stops them, then closes the stores, on shutdown. */
@Injectable()
export class StoreLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: SqliteDatabase,
    @Inject(PROJECTIONS) private readonly runner: ProjectionHost,
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

/**
 * The read models on a thread of their own, over its own connections: applying events then never takes
 * turns with requests on the event loop, at the price of a second writer to the disk beside the event
 * store's fsync (README, benchmarks).
 */
function projectionThread(config: AppConfig, appends: EventStore): ProjectionThread {
  const logger = new Logger('Projections');
  return new ProjectionThread({
    eventStore: { eventStoreUrl: config.eventStoreUrl, dataDir: config.dataDir },
    readModelsFile: path.join(config.dataDir, READ_MODELS_FILE),
    // built on the thread from the same module and export
    projections: { module: require.resolve('./api-projections'), export: apiProjections.name },
    appends,
    onThreadError: (error) => logger.error(`projection thread: ${error.message}`, error.stack),
  });
}

/** Wiring of the event store port, the read-model database and the projections. */
@Global()
@Module({
  providers: [
    {
      provide: OPENED_EVENT_STORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        openEventStore({ eventStoreUrl: config.eventStoreUrl, dataDir: config.dataDir }),
    },
    {
      provide: EVENT_STORE,
      inject: [OPENED_EVENT_STORE, ApiMetrics],
      // Every append timed and every group commit observed for /metrics.
      useFactory: (store: EventStore, metrics: ApiMetrics) => metrics.instrument(store),
    },
    {
      provide: READ_MODELS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => openReadModelDatabase(path.join(config.dataDir, READ_MODELS_FILE)),
    },
    {
      provide: PROJECTIONS,
      inject: [APP_CONFIG, OPENED_EVENT_STORE, READ_MODELS, ApiMetrics],
      useFactory: (config: AppConfig, store: EventStore, db: SqliteDatabase, metrics: ApiMetrics) => {
        const projections = config.projectionsOnThread
          ? projectionThread(config, store)
          : new ProjectionRunner(store, db, apiProjections());
        metrics.watchProjections(projections);
        return projections;
      },
    },
    { provide: EvaluationStateCache, useFactory: () => new EvaluationStateCache() },
    StoreLifecycle,
  ],
  exports: [EVENT_STORE, READ_MODELS, PROJECTIONS, EvaluationStateCache],
})
export class EventStoreModule {}
