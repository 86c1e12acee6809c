import { revisionToVersion, type EventStore } from '@app/event-store';
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
