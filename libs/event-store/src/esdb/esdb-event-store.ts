import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type JSONType,
  type RecordedEvent,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type { EventMetadata, NewEvent, StoredEvent } from '../envelope';
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
import { GENESIS_HASH, eventHash } from '../hash-chain';
import { comparePositions, type Position } from '../position';

/** Our envelope fields ride in the event metadata under `$`-free names EventStoreDB leaves alone. */
interface StoredMetadata extends EventMetadata {
  schemaVersion: number;
  hash: string;
  previousHash: string;
}

const MAX_APPEND_RETRIES = 5;
/** how far back an append looks for its event ids already stored (idempotency beyond EventStoreDB's own) */
const IDEMPOTENCY_WINDOW = 100;

function toStored(recorded: RecordedEvent, fallbackPosition?: Position): StoredEvent {
  const { schemaVersion, hash, previousHash, ...metadata } = recorded.metadata as unknown as StoredMetadata;
  const position = (recorded as { position?: Position }).position ?? fallbackPosition;
  return {
    eventId: recorded.id,
    streamId: recorded.streamId,
    revision: Number(recorded.revision),
    position: position ?? { commit: -1n, prepare: -1n },
    type: recorded.type,
    schemaVersion: schemaVersion ?? 1,
    data: recorded.data,
    metadata: metadata as EventMetadata,
    hash: hash ?? '',
    previousHash: previousHash ?? '',
  };
}

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
      let previousHash = last ? last.hash : GENESIS_HASH;
      const data = events.map((event, i) => {
        const schemaVersion = event.schemaVersion ?? 1;
        const revision = current + 1 + i;
        const hash = eventHash(previousHash, {
          streamId,
          revision,
          eventId: event.eventId,
          type: event.type,
          schemaVersion,
          dataJson: JSON.stringify(event.data),
          metadataJson: JSON.stringify(event.metadata),
        });
        const metadata: StoredMetadata = { ...event.metadata, schemaVersion, hash, previousHash };
        previousHash = hash;
        return jsonEvent({
          id: event.eventId,
          type: event.type,
          data: event.data as JSONType,
          metadata: metadata as unknown as JSONType,
        });
      });
      try {
        const result = await this.client.appendToStream(streamId, data, {
          expectedRevision: current === -1 ? NO_STREAM : BigInt(current),
        });
        const position = result.position ?? { commit: -1n, prepare: -1n };
        return { nextExpectedRevision: Number(result.nextExpectedRevision), position };
      } catch (error) {
        // Someone appended between our read and our write: with `any`, read again and chain onto theirs.
        if (error instanceof WrongExpectedVersionError && expected === 'any' && attempt < MAX_APPEND_RETRIES)
          continue;
        if (error instanceof WrongExpectedVersionError) {
          const actual = error.actualVersion;
          throw new WrongExpectedRevision(
            streamId,
            expected,
            typeof actual === 'bigint' ? Number(actual) : -1,
          );
        }
        throw error;
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
        fromRevision:
          options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision),
        maxCount: options.maxCount,
      });
      for await (const resolved of read as AsyncIterable<ResolvedEvent>) {
        if (resolved.event) events.push(toStored(resolved.event as RecordedEvent));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
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
        fromPosition: after ?? START,
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
        if (recorded.type.startsWith('$') || recorded.streamId.startsWith('$')) continue;
        if (events.length < options.maxCount)
          events.push(toStored(recorded as RecordedEvent, recorded.position));
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
      fromPosition: options.after ?? START,
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
          const event = toStored(recorded as RecordedEvent, recorded.position);
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
      if (recorded && !recorded.type.startsWith('$') && !recorded.streamId.startsWith('$'))
        return recorded.position;
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
