import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ProjectionRunner, type EventStore, type ProjectionStatus } from '@app/event-store';
import { EVENT_STORE } from '../event-store/event-store.module';

interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  eventStore: { status: 'up' | 'down'; kind: string; error?: string };
  projections: ProjectionStatus[];
}

/**
 * Liveness and readiness. Down (503) when the event store does not answer; degraded (200) when a
 * projection stopped at an event it could not apply: reads may be stale, writes still work.
 */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
  ) {}

  @Get()
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const eventStore: HealthReport['eventStore'] = { status: 'up', kind: this.store.kind };
    try {
      await this.store.ping();
    } catch (error) {
      eventStore.status = 'down';
      eventStore.error = error instanceof Error ? error.message : String(error);
    }
    const projections = this.runner.status();
    const status =
      eventStore.status === 'down'
        ? 'down'
        : projections.some((p) => p.status === 'STOPPED')
          ? 'degraded'
          : 'ok';
    response.status(status === 'down' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    return { status, eventStore, projections };
  }
}
