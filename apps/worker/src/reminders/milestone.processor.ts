import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { deterministicEventId, type EventStore, type SqliteDatabase } from '@app/event-store';
import { evaluationIdFor, needsReminder, reminderKey } from '@app/domain';
import { readCycle, readEvaluation, type ReminderRecorded } from '@app/application';
import { WorkerReadModels } from '../worker-read-models';
import { stalledJobOptions, type WorkerConfig } from '../worker-config';
import { DELIVERIES_QUEUE, MILESTONES_QUEUE, WORKER_CONFIG, WORKER_STORE } from '../worker.tokens';
import type { MilestoneJob } from './cycle-scheduler';
import { departmentsOfDistrict } from '@app/read-models';

/** At a milestone: every registered department of the district that has not submitted gets a notice. */
@Processor(MILESTONES_QUEUE, stalledJobOptions())
export class MilestoneProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    @Inject(WORKER_STORE) private readonly store: EventStore,
    private readonly readModels: WorkerReadModels,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @InjectQueue(DELIVERIES_QUEUE) private readonly deliveries: Queue<ReminderRecorded>,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.concurrency;
  }

  async process(job: Job<MilestoneJob>): Promise<{ notified: number } | 'stale'> {
    const readModels = await this.readModels.live();
    return enqueueMilestoneNotices(this.store, readModels, this.deliveries, job.data, this.config);
  }
}

/**
 * One milestone: if the cycle still has this deadline, a delivery job (one id per cycle, department and
 * milestone) for every registered department of the district whose form is not with the supervisor.
 */
export async function enqueueMilestoneNotices(
  store: EventStore,
  readModels: SqliteDatabase,
  deliveries: Queue<ReminderRecorded>,
  milestoneJob: MilestoneJob,
  config: Pick<WorkerConfig, 'deliveryAttempts' | 'retryBaseMs'>,
): Promise<{ notified: number } | 'stale'> {
  const { cycleId, districtCode, year, deadline, milestone, kind, dueAt } = milestoneJob;
  const { state } = await readCycle(store, cycleId);
  if (state.status !== 'OPEN' || state.deadline !== deadline) return 'stale';
  const departments = departmentsOfDistrict(readModels, districtCode);
  const jobs = [];
  for (const department of departments) {
    const evaluation = await readEvaluation(store, evaluationIdFor(department.code, year));
    if (!needsReminder(evaluation.status)) continue;
    const reminder: ReminderRecorded = {
      cycleId,
      districtCode,
      year,
      department,
      milestone,
      kind,
      deadline,
      dueAt,
      recordedAt: new Date().toISOString(),
    };
    jobs.push({
      name: 'deliver',
      data: reminder,
      opts: {
        jobId: deterministicEventId(`delivery-job:${reminderKey(cycleId, department.code, milestone)}`),
        attempts: config.deliveryAttempts,
        backoff: { type: 'exponential', delay: config.retryBaseMs, jitter: 0.5 },
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: false,
      },
    });
  }
  // One round trip for the whole district instead of one per department.
  await deliveries.addBulk(jobs);
  return { notified: jobs.length };
}
