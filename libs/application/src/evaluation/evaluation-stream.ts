import type { NewEvent, StoredEvent } from '@app/event-store';
import { EVALUATION_EVENT_TYPES, type EvaluationEvent } from '@app/domain';

export const EVALUATION_STREAM_PREFIX = 'evaluation-';

export function evaluationStreamId(evaluationId: string): string {
  return `${EVALUATION_STREAM_PREFIX}${evaluationId}`;
}

export function evaluationIdOfStream(streamId: string): string {
  return streamId.slice(EVALUATION_STREAM_PREFIX.length);
}

/** Shape version of every evaluation event type today; an upcaster goes here when one changes. */
const CURRENT_SCHEMA_VERSION = 1;
const KNOWN_TYPES = new Set<string>(EVALUATION_EVENT_TYPES);

/** A stored event back as a domain event; unknown types or future shapes are refused, never guessed. */
export function toDomainEvent(stored: StoredEvent): EvaluationEvent {
  if (!KNOWN_TYPES.has(stored.type))
    throw new Error(`unknown evaluation event type ${stored.type} (${stored.eventId})`);
  if (stored.schemaVersion !== CURRENT_SCHEMA_VERSION) {
    throw new Error(
      `no upcaster for ${stored.type} schema version ${stored.schemaVersion} (${stored.eventId})`,
    );
  }
  return { type: stored.type, data: stored.data } as EvaluationEvent;
}

export function toNewEvent(
  event: EvaluationEvent,
  eventId: string,
  metadata: NewEvent['metadata'],
): NewEvent {
  return { eventId, type: event.type, data: event.data, schemaVersion: CURRENT_SCHEMA_VERSION, metadata };
}
