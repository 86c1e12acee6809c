import { randomUUID } from 'node:crypto';
import { WrongExpectedRevision, type EventMetadata, type EventStore, type Position } from '@app/event-store';
import {
  EvaluationNotFound,
  VersionConflict,
  decide,
  evolve,
  type Evaluation,
  type EvaluationCommand,
  type EvaluationEvent,
} from '@app/evaluation';
import { evaluationStreamId, toNewEvent } from './evaluation-stream';
import { readEvaluation, type EvaluationStateCache } from './read-evaluation';

export interface CommandContext {
  /** the request's correlation id (also in the logs) */
  correlationId: string;
  /** the id of the command message itself: the events' causation id */
  commandId: string;
  newEventId?: () => string;
  /** folded states kept between commands, so a command reads only the events it has not seen */
  cache?: EvaluationStateCache;
}

export interface CommandOutcome {
  evaluationId: string;
  events: EvaluationEvent[];
  state: Evaluation;
  /** global position of the last event written; null when the command changed nothing */
  position: Position | null;
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

/**
 * Read, fold, decide, append: the one path every evaluation command takes. The append checks the
 * version the decision was made on, so two clerks saving at once cannot overwrite each other.
 */
export async function handleEvaluationCommand(
  store: EventStore,
  evaluationId: string,
  command: EvaluationCommand,
  context: CommandContext,
): Promise<CommandOutcome> {
  const state = await readEvaluation(store, evaluationId, {}, context.cache);
  let events: EvaluationEvent[];
  try {
    events = decide(command, state);
  } catch (error) {
    // The decider names no id (a form without events has none); the id asked for, missing or out of
    // scope alike.
    if (error instanceof EvaluationNotFound) throw new EvaluationNotFound(evaluationId);
    throw error;
  }
  if (events.length === 0) return { evaluationId, events, state, position: null };
  const metadata = eventMetadata(command.metadata, context);
  const newId = context.newEventId ?? randomUUID;
  try {
    const result = await store.appendToStream(
      evaluationStreamId(evaluationId),
      events.map((event) => toNewEvent(event, newId(), metadata)),
      { expectedRevision: state.version === 0 ? 'no_stream' : state.version - 1 },
    );
    const next = events.reduce(evolve, state);
    context.cache?.set(evaluationId, next);
    return { evaluationId, events, state: next, position: result.position };
  } catch (error) {
    if (error instanceof WrongExpectedRevision) {
      throw new VersionConflict(command.metadata.expectedVersion ?? state.version, error.currentRevision + 1);
    }
    throw error;
  }
}
