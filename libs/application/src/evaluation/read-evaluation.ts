import { MAX_PAGE_SIZE, revisionToVersion, type EventStore } from '@app/event-store';
import { evolve, initialEvaluation, type Evaluation } from '@app/domain';
import { StateCache, foldStream, readStreamPages } from '../command-handler';
import { evaluationStreamId, toDomainEvent } from './evaluation-stream';

export { readStreamPages } from '../command-handler';

/** How a form's stream folds (the decider's evolve over the stored events). */
const evaluationFold = { evolve, initialState: initialEvaluation, fromStored: toDomainEvent };

/** A form's state as it was after `version` events, kept so a fold need not start at the first event. */
export interface EvaluationSnapshot {
  version: number;
  state: Evaluation;
}

/**
 * Where snapshots of forms are found (the read models keep one every few hundred versions). A port: the
 * fold works without one, only slower for long histories; a snapshot behind the log is still exact.
 */
export interface EvaluationSnapshots {
  /** the latest snapshot at or before `version`, if any */
  atOrBefore(evaluationId: string, version: number): EvaluationSnapshot | null;
}

export interface FoldOptions {
  /** fold only up to this version (events 1..version) */
  version?: number;
  /** fold only events that occurred at or before this instant */
  at?: Date;
  /** where to start a fold to a version from (never used for an instant: events may not be in time order) */
  snapshots?: EvaluationSnapshots;
}

/** Where a fold up to `version` may start: the latest snapshot at or before it, else the beginning. */
function startingPoint(
  evaluationId: string,
  version: number,
  snapshots: EvaluationSnapshots | undefined,
): { state: Evaluation; fromRevision: number } {
  const snapshot = snapshots?.atOrBefore(evaluationId, version);
  // Events 1..version sit at revisions 0..version-1: after a snapshot at v, the next is revision v.
  return snapshot
    ? { state: snapshot.state, fromRevision: snapshot.version }
    : { state: initialEvaluation(), fromRevision: 0 };
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
  // To a version (alone): the bounded pass from the latest snapshot, reading no event beyond it.
  if (options.at === undefined)
    return (await readEvaluationVersions(store, evaluationId, [options.version!], options.snapshots))[0];
  let state = initialEvaluation();
  for await (const stored of readStreamPages(store, streamId)) {
    if (options.version !== undefined && revisionToVersion(stored.revision) > options.version) break;
    if (new Date(stored.metadata.occurredAt) > options.at) break;
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
  snapshots?: EvaluationSnapshots,
): Promise<Evaluation[]> {
  const streamId = evaluationStreamId(evaluationId);
  const wanted = [...new Set(versions)].sort((a, b) => a - b);
  const states = new Map<number, Evaluation>();
  let next = 0; // the first wanted version not yet reached
  // Versions at or below 0 are the state before the first event.
  while (next < wanted.length && wanted[next] <= 0) states.set(wanted[next++], initialEvaluation());
  const start =
    next < wanted.length
      ? startingPoint(evaluationId, wanted[next], snapshots)
      : { state: initialEvaluation(), fromRevision: 0 };
  let state = start.state;
  const highest = wanted.length ? wanted[wanted.length - 1] : 0;
  // Events 1..highest sit at revisions 0..highest-1: no page need read further than that.
  let fromRevision = start.fromRevision;
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
