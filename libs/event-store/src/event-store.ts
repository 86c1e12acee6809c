import { isUuid, type NewEvent, type StoredEvent } from './envelope';
import type { Position } from './position';

/**
 * The expected state of a stream before an append: it must not exist yet, any state will do, or its
 * last event must be at exactly this 0-based revision.
 */
export type ExpectedRevision = 'no_stream' | 'any' | number;

/**
 * The domain counts a stream's events as its version (0: none yet, 1 after the first event); the store
 * numbers events by 0-based revision. These two are the only place the ±1 lives.
 */
export const versionToRevision = (version: number): ExpectedRevision =>
  version === 0 ? 'no_stream' : version - 1;
/** The version a stream has once the event at this revision is in it (-1, no stream, gives 0). */
export const revisionToVersion = (revision: number): number => revision + 1;

export interface AppendResult {
  /** revision of the last event now in the stream: pass it as the next expected revision */
  nextExpectedRevision: number;
  /** global position of the last event appended */
  position: Position;
}

/** Upper bound of every read: nothing reads a stream or the log without a page size. */
export const MAX_PAGE_SIZE = 1000;

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** first revision to read (inclusive); default: the start (forwards) or the end (backwards) */
  fromRevision?: number;
  maxCount: number;
}

export interface ReadAllOptions {
  /** read events strictly after this position; default: from the beginning */
  after?: Position | null;
  maxCount: number;
}

export interface SubscriptionOptions {
  /** deliver events strictly after this checkpoint; null: from the beginning */
  after: Position | null;
  /** only streams whose id starts with one of these (server-side on EventStoreDB) */
  streamPrefixes?: string[];
  /**
   * Called after each run of events delivered (a catch-up page, or whatever arrived live), before any
   * further event, so a consumer can commit work in batches.
   */
  onBatchEnd?: (lastDelivered: Position) => Promise<void> | void;
  /**
   * Called when everything in the log so far has been delivered (and its batch ended). The embedded
   * store calls it each time a read finds nothing new, so after it everything appended before the read
   * was seen; EventStoreDB calls it when the server says the subscription has caught up and gone live.
   */
  onCaughtUp?: () => void;
  /**
   * Called with the last position read when a run of the log held nothing for this subscription (the
   * embedded store filters after reading), so a consumer can move its checkpoint past it and not read
   * it again after a restart. Not called by EventStoreDB, which filters on the server.
   */
  onSkipped?: (position: Position) => void;
}

export interface Subscription {
  /** stops delivering; resolves once the handler in progress has finished */
  stop(): Promise<void>;
  /** settles when the subscription ends: resolves on stop, rejects if the handler or the store failed */
  readonly done: Promise<void>;
}

/** The event store port. The embedded SQLite and the EventStoreDB adapters both pass one contract suite. */
export interface EventStore {
  readonly kind: 'sqlite' | 'eventstoredb';
  /**
   * Appends all events or none. Idempotent by event id: appending ids that are already the last events
   * of the stream succeeds and stores nothing again.
   */
  appendToStream(
    streamId: string,
    events: NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;
  readStream(streamId: string, options: ReadStreamOptions): Promise<StoredEvent[]>;
  readAll(options: ReadAllOptions): Promise<StoredEvent[]>;
  /**
   * Catch-up then live: every event after the checkpoint, in order, one at a time; the next event is
   * handed over only after the handler's promise settled.
   */
  subscribeToAll(
    options: SubscriptionOptions,
    handler: (event: StoredEvent) => Promise<void> | void,
  ): Subscription;
  /** position of the last event in the log, null when empty */
  headPosition(): Promise<Position | null>;
  /** answers when the store is reachable (for health checks) */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class WrongExpectedRevision extends Error {
  readonly code = 'WRONG_EXPECTED_REVISION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** revision of the stream's last event; -1 when the stream does not exist */
    readonly currentRevision: number,
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, current ${currentRevision}`);
  }
}

export class InvalidAppend extends Error {
  readonly code = 'INVALID_APPEND';
}

export function checkPageSize(maxCount: number): void {
  if (!Number.isInteger(maxCount) || maxCount < 1 || maxCount > MAX_PAGE_SIZE) {
    throw new RangeError(`maxCount must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${maxCount}`);
  }
}

/** What every adapter refuses before writing anything: the same rules on SQLite and EventStoreDB. */
export function validateAppend(streamId: string, events: readonly NewEvent[]): void {
  if (!streamId || streamId.startsWith('$')) throw new InvalidAppend(`invalid stream id: ${streamId}`);
  if (events.length === 0) throw new InvalidAppend('an append needs at least one event');
  const ids = new Set<string>();
  for (const event of events) {
    if (!isUuid(event.eventId)) throw new InvalidAppend(`event id is not a UUID: ${event.eventId}`);
    if (ids.has(event.eventId))
      throw new InvalidAppend(`event id appears twice in one append: ${event.eventId}`);
    if (!event.type || event.type.startsWith('$'))
      throw new InvalidAppend(`invalid event type: ${event.type}`);
    ids.add(event.eventId);
  }
}

/**
 * Idempotency: the ids of a batch found stored already must be that batch, in order, in this stream;
 * then the append succeeds as it did the first time. Anything else reuses ids for other events.
 */
export function repeatedAppend(
  streamId: string,
  events: readonly NewEvent[],
  stored: ReadonlyArray<Pick<StoredEvent, 'streamId' | 'revision' | 'type' | 'position'> | undefined>,
): AppendResult | null {
  if (stored.every((event) => event === undefined)) return null;
  const first = stored[0];
  const consistent = stored.every(
    (event, i) =>
      event &&
      first &&
      event.streamId === streamId &&
      event.revision === first.revision + i &&
      event.type === events[i].type,
  );
  if (!consistent)
    throw new InvalidAppend(
      `event ids already used by other events: ${events.map((e) => e.eventId).join(', ')}`,
    );
  const last = stored[stored.length - 1]!;
  return { nextExpectedRevision: last.revision, position: last.position };
}
