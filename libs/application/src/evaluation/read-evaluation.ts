import { MAX_PAGE_SIZE, revisionToVersion, type EventStore } from '@app/event-store';
import { evolve, initialEvaluation, type Evaluation } from '@app/domain';
import { StateCache, foldStream, readStreamPages } from '../command-handler';
import { evaluationStreamId, toDomainEvent } from './evaluation-stream';

export { readStreamPages } from '../command-handler';

/** How a form's stream folds (the decider's evolve over the stored events). */
const evaluationFold = { evolve, initialState: initialEvaluation, fromStored: toDomainEvent };

export interface FoldOptions {
  /** fold only up to this version (events 1..version) */
  version?: number;
  /** fold only events that occurred at or before this instant */
  at?: Date;
}

/**
 * Folded states of recently used forms, by stream. A form's state with its answer weighs ≈ 34 KB of heap
 * (measured), so the default 2,000 holds ≈ 70 MB at most: a district's forms on a deadline day, not a
 * province's.
 */
export class EvaluationStateCache extends StateCache<Evaluation> {
  constructor(limit = 2000) {
    super(limit);
  }
}

/** The state of an evaluation from its events, optionally as it was at a version or an instant. */
export async function readEvaluation(
  store: EventStore,
  evaluationId: string,
  options: FoldOptions = {},
  cache?: EvaluationStateCache,
): Promise<Evaluation> {
  const streamId = evaluationStreamId(evaluationId);
  if (options.version === undefined && options.at === undefined)
    return (await foldStream(store, streamId, evaluationFold, cache)).state;
  let state = initialEvaluation();
  for await (const stored of readStreamPages(store, streamId)) {
    if (options.version !== undefined && revisionToVersion(stored.revision) > options.version) break;
    if (options.at !== undefined && new Date(stored.metadata.occurredAt) > options.at) break;
    state = evolve(state, toDomainEvent(stored));
  }
  return state;
}

/**
 * The states of an evaluation at several versions (events 1..version each), in the order asked, from one
 * pass over its stream that stops after the highest of them: a diff folds once, not once per side. A
 * version of 0 or less is the state before the first event (NONE); one beyond the end is the current
 * state, exactly as `readEvaluation(store, id, { version })` gives each of them.
 */
export async function readEvaluationVersions(
  store: EventStore,
  evaluationId: string,
  versions: readonly number[],
): Promise<Evaluation[]> {
  const streamId = evaluationStreamId(evaluationId);
  const wanted = [...new Set(versions)].sort((a, b) => a - b);
  const states = new Map<number, Evaluation>();
  let state = initialEvaluation();
  let next = 0; // the first wanted version not yet reached
  const highest = wanted.length ? wanted[wanted.length - 1] : 0;
  // Events 1..highest sit at revisions 0..highest-1: no page need read further than that.
  let fromRevision = 0;
  reading: while (fromRevision < highest) {
    const maxCount = Math.min(MAX_PAGE_SIZE, highest - fromRevision);
    const page = await store.readStream(streamId, { fromRevision, maxCount });
    for (const stored of page) {
      const version = revisionToVersion(stored.revision);
      while (next < wanted.length && wanted[next] < version) states.set(wanted[next++], state);
      if (next === wanted.length) break reading;
      state = evolve(state, toDomainEvent(stored));
    }
    if (page.length < maxCount) break;
    fromRevision = page[page.length - 1].revision + 1;
  }
  while (next < wanted.length) states.set(wanted[next++], state);
  return versions.map((version) => states.get(version) as Evaluation);
}
