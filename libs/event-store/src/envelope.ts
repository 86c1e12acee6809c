import type { Position } from './position';

/** Who caused an event and within which request: every stored event carries it (docs/workflow.md). */
export interface EventMetadata {
  actor: { id: string; role: string };
  /** the request or job this event belongs to; also in the structured logs */
  correlationId: string;
  /** the message (command, job, event) that directly caused this one */
  causationId: string;
  /** ISO-8601 time the command was decided at (passed in, never read inside the domain) */
  occurredAt: string;
  [extra: string]: unknown;
}

/** An event to append. `eventId` is a UUID; the same id appended again is stored only once. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  eventId: string;
  type: Type;
  data: Data;
  /** version of the data's shape, so old events can be upcast when their shape changes */
  schemaVersion?: number;
  metadata: EventMetadata;
}

export interface StoredEvent<Type extends string = string, Data = unknown> {
  eventId: string;
  streamId: string;
  /** 0-based position within the stream */
  revision: number;
  /** position in the global log */
  position: Position;
  type: Type;
  schemaVersion: number;
  data: Data;
  metadata: EventMetadata;
  /** SHA-256 over this event's canonical content and the previous event's hash (tamper evidence) */
  hash: string;
  previousHash: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
