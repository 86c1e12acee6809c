import * as path from 'node:path';
import { BullModule } from '@nestjs/bullmq';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  openEventStore,
  openReadModelDatabase,
  WORKER_READ_MODELS_FILE,
  type EventStore,
  type SqliteDatabase,
} from '@app/event-store';
import { loadWorkerConfig, redisConnection, type WorkerConfig } from './worker-config';
import {
  DELIVERIES_QUEUE,
  MILESTONES_QUEUE,
  REPORTS_QUEUE,
  WORKER_CONFIG,
  WORKER_READ_MODELS,
  WORKER_STORE,
} from './worker.tokens';
import { WorkerReadModels } from './worker-read-models';
import { WorkerMetrics } from './worker-metrics';
import { NightlyReports, ReportsProcessor } from './reports/reports.processor';
import { CycleScheduler } from './reminders/cycle-scheduler';
import { DeliveryProcessor } from './reminders/delivery.processor';
import { MilestoneProcessor } from './reminders/milestone.processor';

/**
 * Shutdown in order. Nest runs the root module's hooks before those of the modules it imports, so BullMQ's
 * own worker close would come after the stores are closed, and a job still running would fail to record
 * its outcome. Here: first every worker stops taking jobs and lets the running ones finish, then the worker's projections, then the stores.
 */
@Injectable()
class ShutdownInOrder implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(WORKER_STORE) private readonly store: EventStore,
    @Inject(WORKER_READ_MODELS) private readonly readModels: SqliteDatabase,
    private readonly milestones: MilestoneProcessor,
    private readonly deliveries: DeliveryProcessor,
    private readonly reports: ReportsProcessor,
    private readonly workerReadModels: WorkerReadModels,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.milestones, this.deliveries, this.reports].map((host) => host.worker.close()));
    await this.workerReadModels.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    this.readModels.close();
  }
}

/** Wiring of the worker: the same stores as the API (same DATA_DIR or EventStoreDB), BullMQ on Redis. */
@Module({})
export class WorkerModule {
  static forRoot(config: WorkerConfig = loadWorkerConfig()): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        // JSON logs like the API's (no HTTP here, so no request middleware).
        LoggerModule.forRoot({ pinoHttp: { logger: pino({ level: config.logLevel }) }, useExisting: true }),
        BullModule.forRoot({ connection: redisConnection(config.redisUrl), prefix: config.queuePrefix }),
        BullModule.registerQueue(
          { name: MILESTONES_QUEUE },
          { name: DELIVERIES_QUEUE },
          { name: REPORTS_QUEUE },
        ),
      ],
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        {
          provide: WORKER_STORE,
          useFactory: () => openEventStore({ eventStoreUrl: config.eventStoreUrl, dataDir: config.dataDir }),
        },
        {
          provide: WORKER_READ_MODELS,
          useFactory: () => openReadModelDatabase(path.join(config.dataDir, WORKER_READ_MODELS_FILE)),
        },
        WorkerReadModels,
        ShutdownInOrder,
        CycleScheduler,
        MilestoneProcessor,
        DeliveryProcessor,
        NightlyReports,
        ReportsProcessor,
        WorkerMetrics,
      ],
    };
  }
}
