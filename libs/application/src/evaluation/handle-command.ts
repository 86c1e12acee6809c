import type { EventStore } from '@app/event-store';
import {
  EvaluationNotFound,
  VersionConflict,
  decide,
  evolve,
  initialEvaluation,
  type Evaluation,
  type EvaluationCommand,
  type EvaluationEvent,
} from '@app/domain';
import { handleCommand, type Aggregate, type CommandContext, type HandledCommand } from '../command-handler';
import { evaluationStreamId, toDomainEvent, toNewEvent } from './evaluation-stream';
import type { EvaluationStateCache } from './read-evaluation';

export { eventMetadata, type CommandContext } from '../command-handler';

/** The evaluation form as an aggregate: its decider, how its events are stored, and its conflict. */
export const evaluationAggregate: Aggregate<EvaluationCommand, Evaluation, EvaluationEvent> = {
  decide,
  evolve,
  initialState: initialEvaluation,
  toNewEvent,
  fromStored: toDomainEvent,
  conflict: (expectedVersion, currentVersion) => new VersionConflict(expectedVersion, currentVersion),
};

export interface CommandOutcome extends HandledCommand<Evaluation, EvaluationEvent> {
  evaluationId: string;
}

/** A command on one form: the generic read, fold, decide, append, with the form's own not-found. */
export async function handleEvaluationCommand(
  store: EventStore,
  evaluationId: string,
  command: EvaluationCommand,
  context: CommandContext & { cache?: EvaluationStateCache },
): Promise<CommandOutcome> {
  try {
    const outcome = await handleCommand(
      store,
      evaluationStreamId(evaluationId),
      evaluationAggregate,
      command,
      context,
      context.cache,
    );
    return { evaluationId, ...outcome };
  } catch (error) {
    // The decider names no id (a form without events has none); the id asked for, missing or out of
    // scope alike.
    if (error instanceof EvaluationNotFound) throw new EvaluationNotFound(evaluationId);
    throw error;
  }
}
