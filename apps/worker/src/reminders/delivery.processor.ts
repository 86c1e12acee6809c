import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { EventStore } from '@app/event-store';
import { recordDelivery, recordReminder, wasDelivered, type ReminderRecorded } from '@app/application';
import { stalledJobOptions, type WorkerConfig } from '../worker-config';
import { DELIVERIES_QUEUE, WORKER_CONFIG, WORKER_STORE } from '../worker.tokens';
import { deliver } from './webhook';

/**
 * Exactly once per (cycle, department, milestone): first the reminder is recorded under an id derived
 * from that identity (a repeat stores nothing), then delivered unless a delivery was recorded already.
 * A failed delivery throws, and BullMQ retries it with exponential backoff and jitter; failed jobs are
 * kept for inspection.
 */
@Processor(DELIVERIES_QUEUE, stalledJobOptions())
export class DeliveryProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    @Inject(WORKER_STORE) private readonly store: EventStore,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.concurrency;
  }

  async process(job: Job<ReminderRecorded>): Promise<'delivered' | 'recorded' | 'already delivered'> {
    const reminder = job.data;
    const eventId = await recordReminder(this.store, reminder, job.id ?? eventIdFallback(reminder));
    const { webhookUrl, webhookSecret } = this.config;
    if (!webhookUrl || !webhookSecret) return 'recorded';
    if (await wasDelivered(this.store, reminder.department.code, eventId)) return 'already delivered';
    await deliver(
      webhookUrl,
      webhookSecret,
      eventId,
      {
        deliveryId: eventId,
        type: reminder.kind,
        milestone: reminder.milestone,
        cycle: {
          id: reminder.cycleId,
          districtCode: reminder.districtCode,
          year: reminder.year,
          deadline: reminder.deadline,
        },
        department: reminder.department,
        dueAt: reminder.dueAt,
      },
      this.config.webhookTimeoutMs,
    );
    await recordDelivery(this.store, reminder.department.code, eventId, new Date());
    return 'delivered';
  }
}

const eventIdFallback = (reminder: ReminderRecorded) =>
  `${reminder.cycleId}:${reminder.department.code}:${reminder.milestone}`;
