import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { deterministicEventId, type EventStore, type SqliteDatabase } from '@app/event-store';
import { evaluationIdFor, needsReminder, reminderKey } from '@app/evaluation';
import { readCycle, readEvaluation, type ReminderRecorded } from '@app/evaluations';
import type { WorkerConfig } from '../worker-config';
import {
  DELIVERIES_QUEUE,
  MILESTONES_QUEUE,
  WORKER_CONFIG,
  WORKER_READ_MODELS,
  WORKER_STORE,
} from '../worker.tokens';
import type { MilestoneJob } from './cycle-scheduler';

/** At a milestone: every registered department of the district that has not submitted gets a notice. */
@Processor(MILESTONES_QUEUE)
export class MilestoneProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    @Inject(WORKER_STORE) private readonly store: EventStore,
    @Inject(WORKER_READ_MODELS) private readonly readModels: SqliteDatabase,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @InjectQueue(DELIVERIES_QUEUE) private readonly deliveries: Queue<ReminderRecorded>,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.concurrency;
  }

  async process(job: Job<MilestoneJob>): Promise<{ notified: number } | 'stale'> {
    const { cycleId, districtCode, year, deadline, milestone, kind, dueAt } = job.data;
    const { state } = await readCycle(this.store, cycleId);
    if (state.status !== 'OPEN' || state.deadline !== deadline) return 'stale';
    const departments = this.readModels
      .prepare('SELECT code, name FROM departments WHERE district_code = ? ORDER BY code')
      .all(districtCode) as Array<{ code: string; name: string }>;
    let notified = 0;
    for (const department of departments) {
      const evaluation = await readEvaluation(this.store, evaluationIdFor(department.code, year));
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
      await this.deliveries.add('deliver', reminder, {
        jobId: deterministicEventId(`delivery-job:${reminderKey(cycleId, department.code, milestone)}`),
        attempts: this.config.deliveryAttempts,
        backoff: { type: 'exponential', delay: this.config.retryBaseMs, jitter: 0.5 },
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: false,
      });
      notified += 1;
    }
    return { notified };
  }
}
