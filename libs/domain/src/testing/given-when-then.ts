import type { EvaluationCommand } from '../evaluation/workflow/commands';
import { decide } from '../evaluation/workflow/decide';
import type { DomainError } from '../errors';
import { evolve, foldEvaluation, type Evaluation } from '../evaluation/workflow/evaluation';
import type { EvaluationEvent } from '../evaluation/workflow/events';

/**
 * Decider specifications read as: given these events, when this command, then these events (or this
 * error). Only the pure functions are involved: no store, no clock.
 */
export function given(...events: EvaluationEvent[]) {
  const state = foldEvaluation(events);
  return {
    state,
    when(command: EvaluationCommand) {
      const run = () => decide(command, state);
      return {
        /** Exactly these events; `check`, when given, looks at the state they lead to. */
        then(expected: EvaluationEvent[], check?: (stateAfter: Evaluation) => void): EvaluationEvent[] {
          const produced = run();
          expect(produced).toEqual(expected);
          check?.(produced.reduce(evolve, state));
          return produced;
        },
        /** For when the exact events are long: check them with a function. */
        thenEvents(check: (events: EvaluationEvent[], stateAfter: Evaluation) => void): void {
          const produced = run();
          check(produced, produced.reduce(evolve, state));
        },
        thenThrows<E extends DomainError>(code: E['code'], check?: (error: E) => void): void {
          let thrown: unknown;
          try {
            run();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeDefined();
          expect((thrown as E).code).toBe(code);
          check?.(thrown as E);
        },
      };
    },
  };
}
