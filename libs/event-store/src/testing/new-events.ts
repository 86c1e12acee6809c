import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../envelope';

/** A test event with a fresh UUID and full metadata. */
export function newEvent(type: string, data: Record<string, unknown> = {}, eventId = randomUUID()): NewEvent {
  return {
    eventId,
    type,
    data,
    metadata: {
      actor: { id: 'tester', role: 'DEPARTMENT' },
      correlationId: 'corr-1',
      causationId: 'cmd-1',
      occurredAt: '2022-03-01T08:00:00.000Z',
    },
  };
}

export function uniqueStream(prefix = 'test'): string {
  return `${prefix}-${randomUUID()}`;
}
