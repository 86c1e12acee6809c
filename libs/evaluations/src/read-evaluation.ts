import { MAX_PAGE_SIZE, type EventStore, type StoredEvent } from '@app/event-store';
import { evolve, initialEvaluation, type Evaluation } from '@app/evaluation';
import { evaluationStreamId, toDomainEvent } from './evaluation-stream';

/** Reads a stream in bounded pages, oldest first, until `stop` says enough. */
export async function* readStreamPages(store: EventStore, streamId: string): AsyncGenerator<StoredEvent> {
  let from = 0;
  for (;;) {
    const page = await store.readStream(streamId, { fromRevision: from, maxCount: MAX_PAGE_SIZE });
    yield* page;
    if (page.length < MAX_PAGE_SIZE) return;
    from = page[page.length - 1].revision + 1;
  }
}

export interface FoldOptions {
  /** fold only up to this version (events 1..version) */
  version?: number;
  /** fold only events that occurred at or before this instant */
  at?: Date;
}

/** The state of an evaluation from its events, optionally as it was at a version or an instant. */
export async function readEvaluation(
  store: EventStore,
  evaluationId: string,
  options: FoldOptions = {},
): Promise<Evaluation> {
  let state = initialEvaluation();
  for await (const stored of readStreamPages(store, evaluationStreamId(evaluationId))) {
    if (options.version !== undefined && stored.revision + 1 > options.version) break;
    if (options.at !== undefined && new Date(stored.metadata.occurredAt) > options.at) break;
    state = evolve(state, toDomainEvent(stored));
  }
  return state;
}
