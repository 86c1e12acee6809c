import * as path from 'node:path';
import { BullModule } from '@nestjs/bullmq';
import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import {
  READ_MODELS_FILE,
  openEventStore,
  openReadModelDatabase,
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
import { NightlyReports, ReportsProcessor } from './reports/reports.processor';
import { CycleScheduler } from './reminders/cycle-scheduler';
import { DeliveryProcessor } from './reminders/delivery.processor';
import { MilestoneProcessor } from './reminders/milestone.processor';

@Injectable()
class StoresLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(WORKER_STORE) private readonly store: EventStore,
    @Inject(WORKER_READ_MODELS) private readonly readModels: SqliteDatabase,
  ) {}

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
          useFactory: () => openReadModelDatabase(path.join(config.dataDir, READ_MODELS_FILE)),
        },
        StoresLifecycle,
        CycleScheduler,
        MilestoneProcessor,
        DeliveryProcessor,
        NightlyReports,
        ReportsProcessor,
      ],
    };
  }
}
