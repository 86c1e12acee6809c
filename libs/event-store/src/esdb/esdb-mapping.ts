import {
  ANY,
  END,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type AppendExpectedRevision,
  type AppendResult as ClientAppendResult,
  type JSONEventData,
  type JSONType,
  type ReadPosition,
  type ReadRevision,
  type RecordedEvent,
} from '@eventstore/db-client';
import type { EventMetadata, NewEvent, StoredEvent } from '../envelope';
import { WrongExpectedRevision, type AppendResult, type ExpectedRevision } from '../event-store';
import { eventHash } from '../hash-chain';
import type { Position } from '../position';

/*
 * The pure half of the EventStoreDB adapter: what our events, revisions, positions and errors become on
 * the client's side and back. Kept apart from the connection so it can be tested without a server
 * (esdb-mapping.spec.ts); the adapter only moves these values over the wire.
 */

/** Our envelope fields ride in the event metadata under `$`-free names EventStoreDB leaves alone. */
export interface StoredMetadata extends EventMetadata {
  schemaVersion: number;
  hash: string;
  previousHash: string;
}

/** The hash-chain fields an event carries besides its own metadata. */
export interface EnvelopeFields {
  schemaVersion: number;
  hash: string;
  previousHash: string;
}

/** Where a record sits when the server did not say (stream reads before 22.6, appends without a position). */
const unknownPosition = (): Position => ({ commit: -1n, prepare: -1n });

/** One event as the client appends it: our id, type and data; metadata plus the envelope fields. */
export function toEventData(event: NewEvent, envelope: EnvelopeFields): JSONEventData {
  const { schemaVersion, hash, previousHash } = envelope;
  const metadata: StoredMetadata = { ...event.metadata, schemaVersion, hash, previousHash };
  return jsonEvent({
    id: event.eventId,
    type: event.type,
    data: event.data as JSONType,
    metadata: metadata as unknown as JSONType,
  });
}

/**
 * A batch chained onto the stream's last event (revision `currentRevision`, -1 for none, whose hash is
 * `previousHash`): each event's hash covers its content and the one before it, hashed as the JSON the
 * client sends, so reading it back reproduces the hash.
 */
export function chainEventData(
  streamId: string,
  events: readonly NewEvent[],
  currentRevision: number,
  previousHash: string,
): JSONEventData[] {
  let chained = previousHash;
  return events.map((event, i) => {
    const schemaVersion = event.schemaVersion ?? 1;
    const revision = currentRevision + 1 + i;
    const hash = eventHash(chained, {
      streamId,
      revision,
      eventId: event.eventId,
      type: event.type,
      schemaVersion,
      dataJson: JSON.stringify(event.data),
      metadataJson: JSON.stringify(event.metadata),
    });
    const data = toEventData(event, { schemaVersion, hash, previousHash: chained });
    chained = hash;
    return data;
  });
}

/**
 * A record as the client delivers it, back into our StoredEvent: the envelope fields come out of the
 * metadata, the bigint revision becomes a number. No check rejects a record without our envelope: it reads
 * as schema version 1 with an empty hash, which stream verification then reports as broken.
 */
export function toStoredEvent(recorded: RecordedEvent, fallbackPosition?: Position): StoredEvent {
  const { schemaVersion, hash, previousHash, ...metadata } = recorded.metadata as unknown as StoredMetadata;
  const position = (recorded as { position?: Position }).position ?? fallbackPosition;
  return {
    eventId: recorded.id,
    streamId: recorded.streamId,
    revision: Number(recorded.revision),
    position: position ?? unknownPosition(),
    type: recorded.type,
    schemaVersion: schemaVersion ?? 1,
    data: recorded.data,
    metadata: metadata as EventMetadata,
    hash: hash ?? '',
    previousHash: previousHash ?? '',
  };
}

/** $all also carries the server's own events (`$`-types, `$`-streams): never handed to our readers. */
export function isSystemRecord(recorded: Pick<RecordedEvent, 'type' | 'streamId'>): boolean {
  return recorded.type.startsWith('$') || recorded.streamId.startsWith('$');
}

/** Our expected revision as the client's: the stream must not exist, anything goes, or exactly this one. */
export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'any') return ANY;
  return BigInt(expected);
}

/** The client's append result as ours: the revision as a number, no position as -1/-1. */
export function fromAppendResult(result: ClientAppendResult): AppendResult {
  return {
    nextExpectedRevision: Number(result.nextExpectedRevision),
    position: result.position ?? unknownPosition(),
  };
}

/** Where a stream read starts: our 0-based revision, or the start (forwards) or end (backwards). */
export function toReadRevision(fromRevision: number | undefined, backwards: boolean): ReadRevision {
  if (fromRevision === undefined) return backwards ? END : START;
  return BigInt(fromRevision);
}

/**
 * Where a read of $all starts from a checkpoint: the client's positions are our commit/prepare pair
 * as they are; no checkpoint means the start of the log. EventStoreDB includes the event at the
 * position itself, so callers skip it to keep `after` exclusive.
 */
export function toReadPosition(after: Position | null | undefined): ReadPosition {
  return after ?? START;
}

/** Another writer got to the stream first: with `any` the adapter reads again and chains onto theirs. */
export function isWrongExpectedVersion(error: unknown): error is WrongExpectedVersionError {
  return error instanceof WrongExpectedVersionError;
}

/**
 * An append's failure as callers know it: a revision conflict becomes our WrongExpectedRevision with
 * the stream's current revision (-1 when it does not exist); anything else is passed on as it is.
 */
export function fromAppendError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (!(error instanceof WrongExpectedVersionError)) return error;
  const actual = error.actualVersion;
  return new WrongExpectedRevision(streamId, expected, typeof actual === 'bigint' ? Number(actual) : -1);
}

/** Reading a stream that does not exist is an empty read, as on the embedded store; other errors throw. */
export function emptyIfStreamNotFound(error: unknown): StoredEvent[] {
  if (error instanceof StreamNotFoundError) return [];
  throw error;
}
