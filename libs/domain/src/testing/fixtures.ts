/**
 * The one set of test fixtures: the real 2021 form of 长沙市望城区社会治理服务中心 (test/fixtures), its
 * department and district, the actors of every role, event histories and commands built from them.
 * Pure data and pure functions, so every layer's tests (domain, application, API, benchmarks) share it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { emptyForm, type EvaluationForm } from '../evaluation/form/form';
import { formFromDocument, readEvaluationDocument } from '../evaluation/interchange/evaluation-document';
import type { Actor } from '../evaluation/workflow/actor';
import type { CommandMetadata, EvaluationCommand } from '../evaluation/workflow/commands';
import type { EvaluationEvent } from '../evaluation/workflow/events';

export const NOW = new Date('2022-03-01T08:00:00.000Z');
export const LATER = new Date('2022-03-02T09:30:00.000Z');

export const DEPARTMENT_CODE = 'wangcheng-shzlfwzx';
export const DISTRICT_CODE = 'wangcheng';
/** The example's department and district, as registered. */
export const DEPARTMENT = { code: DEPARTMENT_CODE, name: '长沙市望城区社会治理服务中心' };
export const DISTRICT = { code: DISTRICT_CODE, name: '长沙市望城区' };
/** The same, under the lower-case names the decider specifications read best with. */
export const department = DEPARTMENT;
export const district = DISTRICT;

export const actors = {
  clerk: { id: 'clerk-1', role: 'DEPARTMENT', department: DEPARTMENT_CODE } satisfies Actor,
  otherClerk: { id: 'clerk-9', role: 'DEPARTMENT', department: 'wangcheng-other' } satisfies Actor,
  supervisor: { id: 'sup-1', role: 'SUPERVISOR', district: DISTRICT_CODE } satisfies Actor,
  otherSupervisor: { id: 'sup-9', role: 'SUPERVISOR', district: 'yuelu' } satisfies Actor,
  auditor: { id: 'aud-1', role: 'AUDITOR', district: DISTRICT_CODE } satisfies Actor,
  otherAuditor: { id: 'aud-9', role: 'AUDITOR', district: 'yuelu' } satisfies Actor,
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

/** The example form with its line and row ids, as the import stores it. */
export function exampleForm(): EvaluationForm {
  return formFromDocument(readEvaluationDocument(exampleDocument()));
}

/** Event builders for the `given` part, so specifications state histories, not mechanics. */
export const history = {
  imported(at = NOW): EvaluationEvent {
    return {
      type: 'EvaluationImported',
      data: { evaluationId: EVALUATION_ID, form: exampleForm(), importedAt: at.toISOString() },
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

/** The envelope a command handler needs besides the command: the request's correlation and the command's id. */
export const context = (n = 1) => ({ correlationId: `corr-${n}`, commandId: `cmd-${n}` });

/** The clerk imports the example. */
export function importExample(now = NOW, document = exampleDocument()): EvaluationCommand {
  return {
    type: 'ImportEvaluation',
    data: {
      evaluationId: EVALUATION_ID,
      content: readEvaluationDocument(document),
      department: DEPARTMENT,
      district: DISTRICT,
    },
    metadata: { actor: actors.clerk, now },
  };
}

/** The clerk changes one row's actual value, on the version they saw. */
export function updateActual(
  rowId: string,
  actual: string,
  expectedVersion: number,
  now = new Date('2022-03-02T08:00:00Z'),
): EvaluationCommand {
  return {
    type: 'UpdateIndicator',
    data: { rowId, changes: { actual } },
    metadata: { actor: actors.clerk, now, expectedVersion },
  };
}
