import { randomUUID } from 'node:crypto';
import {
  MAX_PAGE_SIZE,
  WrongExpectedRevision,
  revisionToVersion,
  versionToRevision,
  type EventMetadata,
  type EventStore,
  type NewEvent,
  type Position,
  type StoredEvent,
} from '@app/event-store';
import { ConcurrentChange } from '@app/domain';

/**
 * An aggregate as the command handler needs it: a pure `decide` (the events a command produces from a
 * state, or a thrown domain error), a pure `evolve`, the state before any event, and how its events are
 * stored and read back.
 */
export interface Aggregate<Command, State, Event> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
  toNewEvent(event: Event, eventId: string, metadata: EventMetadata): NewEvent;
  fromStored(stored: StoredEvent): Event;
  /**
   * The error for a command that carried the version its caller saw, when another write got in first.
   * Commands without one are decided again on the newer state instead.
   */
  conflict?(expectedVersion: number, currentVersion: number): Error;
}

/**
 * How events with no upcasting are stored and read back: type and data as they are (cycles, the
 * registry). Evaluation events check their schema version instead (evaluation-stream.ts).
 */
export const plainEvents = <Event extends { type: string; data: unknown }>(): Pick<
  Aggregate<unknown, unknown, Event>,
  'toNewEvent' | 'fromStored'
> => ({
  toNewEvent: (event, eventId, metadata) => ({ eventId, type: event.type, data: event.data, metadata }),
  fromStored: (stored) => ({ type: stored.type, data: stored.data }) as Event,
});

/** Who runs a command and when; `expectedVersion` when the caller saw a version of the stream. */
export interface CommandMetadata {
  actor: { id: string; role: string };
  now: Date;
  expectedVersion?: number;
}

export interface CommandContext {
  /** the request's correlation id (also in the logs) */
  correlationId: string;
  /** the id of the command message itself: the events' causation id */
  commandId: string;
  newEventId?: () => string;
}

/** A stream folded up to its version (the number of its events). */
export interface Folded<State> {
  state: State;
  version: number;
}

/**
 * Folded streams recently used, least recently used dropped first. Streams only ever grow, so a cached
 * state plus the events after its version is the current state, even when another process appended
 * meanwhile.
 */
export class StateCache<State> {
  private readonly entries = new Map<string, Folded<State>>();
  constructor(private readonly limit: number) {}

  get(streamId: string): Folded<State> | undefined {
    const folded = this.entries.get(streamId);
    if (folded) {
      this.entries.delete(streamId);
      this.entries.set(streamId, folded);
    }
    return folded;
  }

  delete(streamId: string): void {
    this.entries.delete(streamId);
  }

  set(streamId: string, folded: Folded<State>): void {
    if (folded.version === 0) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, folded);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** The envelope metadata every command's events carry: who, when, and within which request. */
export function eventMetadata(
  { actor, now }: { actor: { id: string; role: string }; now: Date },
  context: CommandContext,
): EventMetadata {
  return {
    actor: { id: actor.id, role: actor.role },
    correlationId: context.correlationId,
    causationId: context.commandId,
    occurredAt: now.toISOString(),
  };
}

/** Reads a stream in bounded pages, oldest first, from a revision on. */
export async function* readStreamPages(
  store: EventStore,
  streamId: string,
  fromRevision = 0,
): AsyncGenerator<StoredEvent> {
  let from = fromRevision;
  for (;;) {
    const page = await store.readStream(streamId, { fromRevision: from, maxCount: MAX_PAGE_SIZE });
    yield* page;
    if (page.length < MAX_PAGE_SIZE) return;
    from = page[page.length - 1].revision + 1;
  }
}

/** The current state of a stream: the cached fold, if any, plus what was appended since. */
export async function foldStream<State, Event>(
  store: EventStore,
  streamId: string,
  aggregate: Pick<Aggregate<unknown, State, Event>, 'evolve' | 'initialState' | 'fromStored'>,
  cache?: StateCache<State>,
): Promise<Folded<State>> {
  let { state, version } = cache?.get(streamId) ?? { state: aggregate.initialState(), version: 0 };
  for await (const stored of readStreamPages(store, streamId, version)) {
    state = aggregate.evolve(state, aggregate.fromStored(stored));
    version = revisionToVersion(stored.revision);
  }
  const folded = { state, version };
  cache?.set(streamId, folded);
  return folded;
}

export interface HandledCommand<State, Event> {
  events: Event[];
  /** the state after the command */
  state: State;
  version: number;
  /** global position of the last event written; null when the command changed nothing */
  position: Position | null;
}

/** How often a command without an expected version is decided again after losing a race. */
const RETRIES = 4;

/** A short random pause before deciding again, so racing writers do not meet in the same commit again. */
const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));

type Decided<State, Event> = Folded<State> & { events: Event[] };

/**
 * A command carrying the version its caller saw, when the cache holds that version, is decided on it
 * without reading the stream: were the stream further on, the append, which expects that version, says
 * so. Only a decision that appends can count on that: one that changes nothing or is refused (null
 * here) is taken on the stream as it is, where another process's append shows as a conflict.
 */
function decidedOnCache<Command extends { metadata: CommandMetadata }, State, Event>(
  aggregate: Aggregate<Command, State, Event>,
  command: Command,
  cached: Folded<State> | undefined,
): Decided<State, Event> | null {
  if (!cached || command.metadata.expectedVersion !== cached.version) return null;
  try {
    const events = aggregate.decide(command, cached.state);
    return events.length > 0 ? { ...cached, events } : null;
  } catch {
    return null;
  }
}

async function decidedOnStream<Command extends { metadata: CommandMetadata }, State, Event>(
  store: EventStore,
  streamId: string,
  aggregate: Aggregate<Command, State, Event>,
  command: Command,
  cache: StateCache<State> | undefined,
): Promise<Decided<State, Event>> {
  const folded = await foldStream(store, streamId, aggregate, cache);
  return { ...folded, events: aggregate.decide(command, folded.state) };
}

/**
 * Read, fold, decide, append: the one path every command of every aggregate takes. The append expects
 * the version the decision was made on, so two writers cannot overwrite each other: a command that
 * carried the caller's version fails with the aggregate's conflict error; one that did not is decided
 * again on the newer state (a second "open this cycle" then meets an open cycle, not a storage error),
 * and after RETRIES lost races it fails as a concurrent change (VERSION_CONFLICT) the client may retry.
 */
export async function handleCommand<Command extends { metadata: CommandMetadata }, State, Event>(
  store: EventStore,
  streamId: string,
  aggregate: Aggregate<Command, State, Event>,
  command: Command,
  context: CommandContext,
  cache?: StateCache<State>,
): Promise<HandledCommand<State, Event>> {
  const { expectedVersion } = command.metadata;
  for (let attempt = 0; ; attempt++) {
    const decided =
      (attempt === 0 && decidedOnCache(aggregate, command, cache?.get(streamId))) ||
      (await decidedOnStream(store, streamId, aggregate, command, cache));
    const { state, version, events } = decided;
    if (events.length === 0) return { events, state, version, position: null };
    const metadata = eventMetadata(command.metadata, context);
    const newId = context.newEventId ?? randomUUID;
    try {
      const result = await store.appendToStream(
        streamId,
        events.map((event) => aggregate.toNewEvent(event, newId(), metadata)),
        { expectedRevision: versionToRevision(version) },
      );
      const after = { state: events.reduce(aggregate.evolve, state), version: version + events.length };
      // The store's own count: an append it took for a repeat of earlier events (same ids) answers
      // with the stream as it is, and then the fold above is not the stream's state.
      if (revisionToVersion(result.nextExpectedRevision) !== after.version) {
        cache?.delete(streamId);
        return {
          events,
          ...(await foldStream(store, streamId, aggregate, cache)),
          position: result.position,
        };
      }
      cache?.set(streamId, after);
      return { events, ...after, position: result.position };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevision)) throw error;
      const current = revisionToVersion(error.currentRevision);
      if (expectedVersion !== undefined && aggregate.conflict)
        throw aggregate.conflict(expectedVersion, current);
      if (attempt >= RETRIES) throw new ConcurrentChange(current);
      await pause(attempt);
    }
  }
}
