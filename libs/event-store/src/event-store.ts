import type { NewEvent, StoredEvent } from './envelope';
import type { Position } from './position';

/**
 * The expected state of a stream before an append: it must not exist yet, any state will do, or its
 * last event must be at exactly this 0-based revision.
 */
export type ExpectedRevision = 'no_stream' | 'any' | number;

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
