import * as fs from 'node:fs';
import * as path from 'node:path';
import { emptyForm } from '../evaluation/form/form';
import { formFromDocument, parseEvaluationDocument } from '../evaluation/interchange/evaluation-document';
import type { Actor } from '../evaluation/workflow/actor';
import type { CommandMetadata, EvaluationCommand } from '../evaluation/workflow/commands';
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

export const NOW = new Date('2022-03-01T08:00:00.000Z');
export const LATER = new Date('2022-03-02T09:30:00.000Z');

export const DEPARTMENT_CODE = 'wangcheng-shzlfwzx';
export const DISTRICT_CODE = 'wangcheng';
export const department = { code: DEPARTMENT_CODE, name: '长沙市望城区社会治理服务中心' };
export const district = { code: DISTRICT_CODE, name: '长沙市望城区' };

export const actors = {
  clerk: { id: 'clerk-1', role: 'DEPARTMENT', department: DEPARTMENT_CODE } satisfies Actor,
  otherClerk: { id: 'clerk-9', role: 'DEPARTMENT', department: 'wangcheng-other' } satisfies Actor,
  supervisor: { id: 'sup-1', role: 'SUPERVISOR', district: DISTRICT_CODE } satisfies Actor,
  otherSupervisor: { id: 'sup-9', role: 'SUPERVISOR', district: 'yuelu' } satisfies Actor,
  auditor: { id: 'aud-1', role: 'AUDITOR', district: DISTRICT_CODE } satisfies Actor,
  admin: { id: 'admin-1', role: 'ADMIN' } satisfies Actor,
} as const;

export function meta(actor: Actor, expectedVersion?: number, now = NOW): CommandMetadata {
  return expectedVersion === undefined ? { actor, now } : { actor, now, expectedVersion };
}

const FIXTURE = path.resolve(__dirname, '../../../../test/fixtures/wangcheng-2021.json');

/** The real 2021 form of 长沙市望城区社会治理服务中心 as an interchange document (a fresh copy each call). */
export function exampleDocument(): Record<string, any> {
  return JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
}

/** Event builders for the `given` part, so specifications state histories, not mechanics. */
export const history = {
  imported(at = NOW): EvaluationEvent {
    const parsed = parseEvaluationDocument(exampleDocument());
    if (!parsed.ok) throw new Error('example document does not parse');
    const form = formFromDocument(parsed.content);
    return {
      type: 'EvaluationImported',
      data: { evaluationId: EVALUATION_ID, form, importedAt: at.toISOString() },
    };
  },
  created(at = NOW): EvaluationEvent {
    return {
      type: 'EvaluationCreated',
      data: {
        evaluationId: EVALUATION_ID,
        form: emptyForm(2021, department, district),
        createdAt: at.toISOString(),
      },
    };
  },
  submitted(at = LATER): EvaluationEvent {
    return {
      type: 'EvaluationSubmitted',
      data: {
        evaluationId: EVALUATION_ID,
        submittedAt: at.toISOString(),
        by: { id: actors.clerk.id, role: 'DEPARTMENT' },
        total: '98.35',
        warnings: ['EXECUTION_BELOW_90', 'OVER_ACHIEVEMENT'],
      },
    };
  },
  returned(comment = '请补充执行率偏低的原因', at = LATER): EvaluationEvent {
    return {
      type: 'EvaluationReturned',
      data: {
        evaluationId: EVALUATION_ID,
        returnedAt: at.toISOString(),
        by: { id: actors.supervisor.id, role: 'SUPERVISOR' },
        comment,
      },
    };
  },
  approved(at = LATER): EvaluationEvent {
    return {
      type: 'EvaluationApproved',
      data: {
        evaluationId: EVALUATION_ID,
        approvedAt: at.toISOString(),
        by: { id: actors.supervisor.id, role: 'SUPERVISOR' },
        comment: '',
        selfAssessedTotal: '98.35',
        adjustedTotal: null,
        adjustmentReason: null,
      },
    };
  },
};

export const EVALUATION_ID = 'wangcheng-shzlfwzx.2021';
