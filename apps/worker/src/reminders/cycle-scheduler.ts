import { InjectQueue } from '@nestjs/bullmq';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import type { Queue } from 'bullmq';
import {
  deterministicEventId,
  positionFromString,
  type EventStore,
  type SqliteDatabase,
  type StoredEvent,
  type Subscription,
} from '@app/event-store';
import { evolveCycle, initialCycle, milestonesOf, type Cycle, type CycleEvent } from '@app/domain';
import { CYCLE_STREAM_PREFIX } from '@app/application';
import { openCyclesAt } from '@app/read-models';
import { WorkerReadModels } from '../worker-read-models';
import type { WorkerConfig } from '../worker-config';
import { MILESTONES_QUEUE, WORKER_CONFIG, WORKER_STORE } from '../worker.tokens';

export interface MilestoneJob {
  cycleId: string;
  districtCode: string;
  year: number;
  deadline: string;
  milestone: string;
  kind: 'REMINDER' | 'OVERDUE';
  dueAt: string;
}

export const milestoneJobId = (cycleId: string, milestone: string, deadline: string) =>
  deterministicEventId(`milestone:${cycleId}:${milestone}:${deadline}`);

/**
 * Turns cycles into delayed milestone jobs. At start it schedules every open cycle from the worker's cycles
 * read model (Redis keeps nothing the log cannot give back: jobs lost with Redis are made again), then
 * follows cycle events after that read model's checkpoint. Job ids derive from (cycle, milestone,
 * deadline) and reminders are recorded once, so scheduling twice is harmless. Milestones already due when
 * the cycle was opened, or when its deadline moved, are skipped rather than fired in a burst; ones missed
 * while the worker was down still run.
 */
@Injectable()
export class CycleScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CycleScheduler.name);
  private readonly cycles = new Map<string, Cycle>();
  private subscription: Subscription | null = null;
  private started: Promise<unknown> = Promise.resolve();
  private stopping = false;

  constructor(
    @Inject(WORKER_STORE) private readonly store: EventStore,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @InjectQueue(MILESTONES_QUEUE) private readonly queue: Queue<MilestoneJob>,
    private readonly readModels: WorkerReadModels,
  ) {}

  onApplicationBootstrap(): void {
    this.started = this.start().catch((error) =>
      this.logger.error(`cycle scheduling did not start: ${(error as Error).message}`),
    );
  }

  private async start(): Promise<void> {
    // A first start over a long log may take a while to catch up: keep waiting unless stopping.
    let readModels: SqliteDatabase | null = null;
    while (!readModels && !this.stopping) readModels = await this.readModels.live().catch(() => null);
    if (!readModels || this.stopping) return;
    const { cycles, checkpoint } = openCyclesAt(readModels);
    for (const { cycle, decidedAt } of cycles) {
      this.cycles.set(cycle.cycleId, cycle);
      await this.schedule(cycle, new Date(decidedAt));
    }
    if (this.stopping) return;
    this.subscription = this.store.subscribeToAll(
      { after: checkpoint ? positionFromString(checkpoint) : null, streamPrefixes: [CYCLE_STREAM_PREFIX] },
      (event) => this.apply(event),
    );
    this.subscription.done.catch((error) =>
      this.logger.error(`cycle subscription stopped: ${(error as Error).message}`),
    );
  }

  /** The open cycles, once the scheduler has loaded them at start (a nightly run right after a start waits). */
  async openCycles(): Promise<Array<{ districtCode: string; year: number }>> {
    await this.started;
    return [...this.cycles.values()].flatMap((c) =>
      c.status === 'OPEN' ? [{ districtCode: c.districtCode, year: c.year }] : [],
    );
  }

  /** Before the stores close (they close on application shutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.started;
    await this.subscription?.stop();
  }

  private async apply(stored: StoredEvent): Promise<void> {
    const event = { type: stored.type, data: stored.data } as CycleEvent;
    const cycleId = (event.data as { cycleId: string }).cycleId;
    const before = this.cycles.get(cycleId) ?? initialCycle();
    const after = evolveCycle(before, event);
    this.cycles.set(cycleId, after);
    if (after.status !== 'OPEN') return;
    if (before.status === 'OPEN' && before.deadline !== after.deadline)
      await this.unschedule(cycleId, before.deadline);
    await this.schedule(after, new Date(stored.metadata.occurredAt));
  }

  private async schedule(cycle: Extract<Cycle, { status: 'OPEN' }>, decidedAt: Date): Promise<void> {
    for (const milestone of milestonesOf(new Date(cycle.deadline), this.config.reminders)) {
      if (milestone.dueAt.getTime() <= decidedAt.getTime()) continue; // already past when decided: skipped
      const job: MilestoneJob = {
        cycleId: cycle.cycleId,
        districtCode: cycle.districtCode,
        year: cycle.year,
        deadline: cycle.deadline,
        milestone: milestone.milestone,
        kind: milestone.kind,
        dueAt: milestone.dueAt.toISOString(),
      };
      await this.queue.add('milestone', job, {
        jobId: milestoneJobId(cycle.cycleId, milestone.milestone, cycle.deadline),
        delay: Math.max(0, milestone.dueAt.getTime() - Date.now()),
        attempts: 5,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: false,
      });
    }
  }

  /** Best effort: a stale job that still runs finds the deadline changed and does nothing. */
  private async unschedule(cycleId: string, deadline: string): Promise<void> {
    for (const milestone of milestonesOf(new Date(deadline), this.config.reminders)) {
      await this.queue.remove(milestoneJobId(cycleId, milestone.milestone, deadline)).catch(() => 0);
    }
  }
}
