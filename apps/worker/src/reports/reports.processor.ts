import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import type { EventStore } from '@app/event-store';
import { generateDistrictReport } from '@app/application';
import { WorkerReadModels } from '../worker-read-models';
import { stalledJobOptions, type WorkerConfig } from '../worker-config';
import { REPORTS_QUEUE, WORKER_CONFIG, WORKER_STORE } from '../worker.tokens';
import { CycleScheduler } from '../reminders/cycle-scheduler';
import { reportJobOptions, type DistrictReportJob } from '@app/jobs';
import { departmentsOfDistrict } from '@app/read-models';

@Injectable()
export class NightlyReports implements OnApplicationBootstrap {
  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @InjectQueue(REPORTS_QUEUE) private readonly queue: Queue,
  ) {}

  /** One scheduler whatever the number of workers: upserting the same id replaces, never duplicates. */
  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'nightly-district-reports',
      { pattern: this.config.reportSchedule, tz: this.config.reportTimeZone },
      { name: 'all-districts', data: {} },
    );
  }
}

@Processor(REPORTS_QUEUE, stalledJobOptions())
export class ReportsProcessor extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger(ReportsProcessor.name);

  constructor(
    @Inject(WORKER_STORE) private readonly store: EventStore,
    private readonly readModels: WorkerReadModels,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @InjectQueue(REPORTS_QUEUE) private readonly queue: Queue<DistrictReportJob>,
    private readonly cycles: CycleScheduler,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.concurrency;
  }

  async process(job: Job): Promise<unknown> {
    if (job.name === 'all-districts') {
      const open = await this.cycles.openCycles();
      for (const { districtCode, year } of open) {
        await this.queue.add('district', { districtCode, year }, reportJobOptions(districtCode, year));
      }
      return { queued: open.length };
    }
    const { districtCode, year } = job.data as DistrictReportJob;
    const { reportId } = await generateDistrictReport(
      this.store,
      departmentsOfDistrict(await this.readModels.live(), districtCode),
      districtCode,
      year,
      new Date(),
      String(job.id),
    );
    this.logger.log(`district report ${districtCode} ${year}: ${reportId}`);
    return { reportId };
  }
}
