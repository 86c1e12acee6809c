import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  ProjectionRunner,
  comparePositions,
  positionFromString,
  positionToString,
  type EventStore,
  type ProjectionStatus,
} from '@app/event-store';
import { EVENT_STORE } from '../event-store/event-store.module';
import { RedisHealth } from '../redis/redis-health';

interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  eventStore: { status: 'up' | 'down'; kind: string; head?: string | null; error?: string };
  projections: Array<ProjectionStatus & { behind: boolean }>;
  redis: { status: 'up' | 'down'; error?: string };
}

/**
 * Liveness and readiness. Down (503) only when the event store does not answer. Degraded (200) when a
 * projection stopped at an event it could not apply, or Redis is unreachable: reads may be stale and
 * background jobs wait, but the API keeps serving.
 */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
    private readonly redis: RedisHealth,
  ) {}

  @Get()
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const eventStore: HealthReport['eventStore'] = { status: 'up', kind: this.store.kind };
    let head = null;
    try {
      head = await this.store.headPosition();
      eventStore.head = head ? positionToString(head) : null;
    } catch (error) {
      eventStore.status = 'down';
      eventStore.error = error instanceof Error ? error.message : String(error);
    }
    const projections = this.runner.status().map((p) => ({
      ...p,
      // Lag as "has the log moved past what this read model has seen" (other streams count too).
      behind:
        head !== null &&
        (p.checkpoint === null || comparePositions(head, positionFromString(p.checkpoint)) > 0),
    }));
    const redis = await this.redis.check();
    const degraded = projections.some((p) => p.status === 'STOPPED') || redis.status === 'down';
    const status = eventStore.status === 'down' ? 'down' : degraded ? 'degraded' : 'ok';
    response.status(status === 'down' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    return { status, eventStore, projections, redis };
  }
}
