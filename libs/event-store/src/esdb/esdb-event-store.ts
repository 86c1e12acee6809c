import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  excludeSystemEvents,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type RecordedEvent,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type { NewEvent, StoredEvent } from '../envelope';
import {
  WrongExpectedRevision,
  checkPageSize,
  repeatedAppend,
  validateAppend,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type Subscription,
  type SubscriptionOptions,
} from '../event-store';
import { GENESIS_HASH } from '../hash-chain';
import { comparePositions, type Position } from '../position';
import {
  chainEventData,
  emptyIfStreamNotFound,
  fromAppendError,
  fromAppendResult,
  isSystemRecord,
  isWrongExpectedVersion,
  toClientExpectedRevision,
  toReadPosition,
  toReadRevision,
  toStoredEvent,
} from './esdb-mapping';

const MAX_APPEND_RETRIES = 5;
/** how far back an append looks for its event ids already stored (idempotency beyond EventStoreDB's own) */
const IDEMPOTENCY_WINDOW = 100;

/**
 * EventStoreDB adapter, selected by an `esdb://` EVENTSTORE_URL. Streams, expected revisions and a
 * server-side filtered $all subscription map one to one; the per-stream hash chain needs the previous
 * event's hash, so an append reads the stream's last event and appends at exactly that revision,
 * retrying when another writer got there first (for `any`).
 */
export class EsdbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  private readonly client: EventStoreDBClient;

  constructor(connectionString: string) {
    this.client = EventStoreDBClient.connectionString(connectionString);
  }

  async appendToStream(
    streamId: string,
    events: NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    validateAppend(streamId, events);
    for (let attempt = 0; ; attempt++) {
      const recent = await this.readStream(streamId, {
        direction: 'backwards',
        maxCount: IDEMPOTENCY_WINDOW,
      });
      const byId = new Map(recent.map((event) => [event.eventId, event]));
      const repeated = repeatedAppend(
        streamId,
        events,
        events.map((event) => byId.get(event.eventId)),
      );
      if (repeated) return repeated;
      const last = recent[0];
      const current = last ? last.revision : -1;
      const expected = options.expectedRevision;
      if (expected !== 'any' && (expected === 'no_stream' ? current !== -1 : expected !== current)) {
        throw new WrongExpectedRevision(streamId, expected, current);
      }
      const data = chainEventData(streamId, events, current, last ? last.hash : GENESIS_HASH);
      try {
        // Always the exact revision read, whatever the caller expected: the hash chain was built on it.
        const result = await this.client.appendToStream(streamId, data, {
          expectedRevision: toClientExpectedRevision(current === -1 ? 'no_stream' : current),
        });
        return fromAppendResult(result);
      } catch (error) {
        // Someone appended between our read and our write: with `any`, read again and chain onto theirs.
        if (isWrongExpectedVersion(error) && expected === 'any' && attempt < MAX_APPEND_RETRIES) continue;
        throw fromAppendError(error, streamId, expected);
      }
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions): Promise<StoredEvent[]> {
    checkPageSize(options.maxCount);
    const backwards = options.direction === 'backwards';
    const events: StoredEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: toReadRevision(options.fromRevision, backwards),
        maxCount: options.maxCount,
      });
      for await (const resolved of read as AsyncIterable<ResolvedEvent>) {
        if (resolved.event) events.push(toStoredEvent(resolved.event as RecordedEvent));
      }
    } catch (error) {
      return emptyIfStreamNotFound(error);
    }
    return events;
  }

  async readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    checkPageSize(options.maxCount);
    const events: StoredEvent[] = [];
    let after = options.after ?? null;
    // $all also holds system events: a page of only those is skipped, not taken for the end of the log.
    for (let pages = 0; pages < 1000; pages++) {
      let read = 0;
      let lastSeen: Position | null = null;
      const page = this.client.readAll({
        fromPosition: toReadPosition(after),
        maxCount: options.maxCount + 1,
        direction: FORWARDS,
      });
      for await (const resolved of page as AsyncIterable<AllStreamResolvedEvent>) {
        const recorded = resolved.event;
        if (!recorded) continue;
        read += 1;
        lastSeen = recorded.position;
        // fromPosition is inclusive on EventStoreDB; `after` is exclusive here.
        if (after && comparePositions(recorded.position, after) <= 0) continue;
        if (isSystemRecord(recorded)) continue;
        if (events.length < options.maxCount)
          events.push(toStoredEvent(recorded as RecordedEvent, recorded.position));
      }
      if (events.length > 0 || read < options.maxCount + 1 || lastSeen === null) break;
      after = lastSeen;
    }
    return events;
  }

  subscribeToAll(
    options: SubscriptionOptions,
    handler: (event: StoredEvent) => Promise<void> | void,
  ): Subscription {
    const subscription = this.client.subscribeToAll({
      fromPosition: toReadPosition(options.after),
      filter: options.streamPrefixes
        ? streamNameFilter({ prefixes: options.streamPrefixes })
        : excludeSystemEvents(),
    });
    let stopped = false;
    // Caught up once means live from then on: later events arrive as they are appended.
    let live = false;
    subscription.on('caughtUp', () => {
      live = true;
      if (subscription.readableLength === 0) options.onCaughtUp?.();
    });
    const run = async () => {
      try {
        for await (const resolved of subscription as AsyncIterable<AllStreamResolvedEvent>) {
          if (stopped) return;
          const recorded = resolved.event;
          if (!recorded || recorded.type.startsWith('$')) continue;
          const event = toStoredEvent(recorded as RecordedEvent, recorded.position);
          await handler(event);
          // Nothing more buffered: what arrived so far has been handed over, so close the batch.
          if (subscription.readableLength === 0) {
            if (options.onBatchEnd) await options.onBatchEnd(event.position);
            if (live) options.onCaughtUp?.();
          }
        }
      } finally {
        // A handler that throws (the projection runner resubscribing after a rebuild) ends the loop,
        // which destroys the stream but leaves the server's subscription open: cancel it, or every
        // resubscribe keeps one more live subscription on the server.
        if (!stopped) await subscription.unsubscribe().catch(() => undefined);
      }
    };
    const done = run();
    return {
      done,
      async stop() {
        stopped = true;
        await subscription.unsubscribe();
        await done.catch(() => undefined);
      },
    };
  }

  async headPosition(): Promise<Position | null> {
    for await (const resolved of this.client.readAll({
      fromPosition: END,
      direction: BACKWARDS,
      maxCount: 50,
    }) as AsyncIterable<AllStreamResolvedEvent>) {
      const recorded = resolved.event;
      if (recorded && !isSystemRecord(recorded)) return recorded.position;
    }
    return null;
  }

  async ping(): Promise<void> {
    for await (const _ of this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 }))
      break;
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}
