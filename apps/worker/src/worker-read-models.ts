import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ProjectionRunner, type EventStore, type SqliteDatabase } from '@app/event-store';
import { CyclesProjection, RegistryProjection } from '@app/read-models';
import { WORKER_READ_MODELS, WORKER_STORE } from './worker.tokens';

const LIVE_WITHIN_MS = 10_000;

/**
 * The read models jobs need (the registry: which departments a district has; the cycles the scheduler
 * starts from), kept from the log by the
 * worker itself. It needs no API process beside it and no shared disk, so workers can run on other
 * machines against EventStoreDB. Jobs read them only once they are live; a fresh worker still catching up
 * fails the job, and BullMQ retries it.
 */
@Injectable()
export class WorkerReadModels implements OnModuleInit {
  private readonly runner: ProjectionRunner;

  constructor(
    @Inject(WORKER_STORE) store: EventStore,
    @Inject(WORKER_READ_MODELS) private readonly db: SqliteDatabase,
  ) {
    this.runner = new ProjectionRunner(store, db, [new RegistryProjection(), new CyclesProjection()]);
  }

  async onModuleInit(): Promise<void> {
    await this.runner.start();
  }

  async live(): Promise<SqliteDatabase> {
    if (!(await this.runner.waitUntilLive(LIVE_WITHIN_MS)))
      throw new Error('the worker’s registry read model has not caught up with the event log yet');
    return this.db;
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }
}
