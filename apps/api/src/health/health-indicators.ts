import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import {
  positionToString,
  projectionLag,
  type EventStore,
  type Position,
  type ProjectionHost,
} from '@app/event-store';
import { EVENT_STORE, PROJECTIONS } from '../event-store/event-store.module';
import { RedisHealth } from '../redis/redis-health';

/** Indicators whose failure leaves the API serving (reads may be stale, jobs wait): health says degraded. */
export const NON_CRITICAL = new Set(['projections', 'redis']);

/** The three things /health looks at, as terminus indicators. */
@Injectable()
export class HealthIndicators {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTIONS) private readonly runner: ProjectionHost,
    private readonly redisHealth: RedisHealth,
  ) {}

  /** The log's head, read once per health check and shared by the indicators below. */
  head(): Promise<Position | null> {
    return this.store.headPosition();
  }

  /** Critical: without the event store nothing can be read or written. */
  async eventStore(headPosition: Promise<Position | null>) {
    const indicator = this.indicators.check('eventStore');
    try {
      const head = await headPosition;
      return indicator.up({ kind: this.store.kind, head: head ? positionToString(head) : null });
    } catch (error) {
      return indicator.down({ kind: this.store.kind, error: (error as Error).message });
    }
  }

  /** Down when a read model stopped at an event it could not apply (with the event id and the error). */
  async projections(headPosition: Promise<Position | null>) {
    const indicator = this.indicators.check('projections');
    const head = await headPosition.catch(() => null);
    const items = this.runner.status().map((p) => ({ ...p, ...projectionLag(p, head, this.store.kind) }));
    return items.some((p) => p.status === 'STOPPED') ? indicator.down({ items }) : indicator.up({ items });
  }

  /** Background jobs need Redis; the API does not. */
  async redis() {
    const indicator = this.indicators.check('redis');
    const { status, error } = await this.redisHealth.check();
    return status === 'up' ? indicator.up() : indicator.down({ error });
  }
}
