import { given } from '../../testing/given-when-then';
import {
  DEPARTMENT_CODE,
  DISTRICT_CODE,
  EVALUATION_ID,
  LATER,
  NOW,
  actors,
  department,
  district,
  exampleDocument,
  history,
  meta,
} from '../../testing/fixtures';
import { readEvaluationDocument } from '../interchange/evaluation-document';
import type { Actor } from './actor';
import type { EvaluationCommand } from './commands';
import type {
  EvaluationAlreadyExists,
  EvaluationNotFound,
  InvalidTransition,
  SubmissionInvalid,
} from './errors';
import { BadInput, type ActionForbidden, type VersionConflict } from '../../errors';
import type { EvaluationEvent } from './events';
import { foldEvaluation, type EvaluationStatus } from './evaluation';

const by = (actor: Actor) => ({ id: actor.id, role: actor.role });

/** thenThrows checks: the message a client sees, and each problem as [code, path, message]. */
const forbidden = (message: string) => (e: ActionForbidden) => expect(e.message).toBe(message);
const problems =
  (...expected: Array<[code: string, path: string, message: string]>) =>
  (e: BadInput) => {
    expect(e.problems.map((p) => [p.code, p.path, p.message])).toEqual(expected);
    expect(e.message).toBe(
      `输入有误：${expected.map(([, path, message]) => `${path} ${message}`).join('；')}`,
    );
  };

function importedForm() {
  const state = foldEvaluation([history.imported()]);
  if (state.status === 'NONE') throw new Error('not imported');
  return state.form;
}

/** The histories that put a form in each state. */
const HISTORIES: Record<EvaluationStatus | 'NONE', EvaluationEvent[]> = {
  NONE: [],
  DRAFT: [history.imported()],
  SUBMITTED: [history.imported(), history.submitted()],
  RETURNED: [history.imported(), history.submitted(), history.returned()],
  APPROVED: [history.imported(), history.submitted(), history.approved()],
};

/**
 * The commands below come from a second clerk of the department and a second reviewer of the district, at
 * a time of their own. The histories were written by clerk-1 and sup-1 at NOW and LATER, so an event that
 * took its actor or its time from the state instead of the command's metadata does not pass.
 */
const colleague: Actor = { id: 'clerk-2', role: 'DEPARTMENT', department: DEPARTMENT_CODE };
const reviewer: Actor = { id: 'sup-2', role: 'SUPERVISOR', district: DISTRICT_CODE };
const AT = new Date('2022-03-09T01:02:03.000Z');

/** One valid instance of every command on an existing form, by its rightful actor, at version v. */
const COMMANDS: Record<string, (v: number) => EvaluationCommand> = {
  UpdateFunding: (v) => ({
    type: 'UpdateFunding',
    data: {
      weight: '10',
      lines: [{ id: 'f1', source: '财政拨款', budget: '1081.19', executed: '950.00', upperTransfer: '0' }],
    },
    metadata: meta(colleague, v, AT),
  }),
  AddFundingLine: (v) => ({
    type: 'AddFundingLine',
    data: { line: { source: '其他资金', budget: '10', executed: '9' } },
    metadata: meta(colleague, v, AT),
  }),
  ChangeFundingLine: (v) => ({
    type: 'ChangeFundingLine',
    data: { lineId: 'f1', changes: { executed: '1000' } },
    metadata: meta(colleague, v, AT),
  }),
  RemoveFundingLine: (v) => ({
    type: 'RemoveFundingLine',
    data: { lineId: 'f1' },
    metadata: meta(colleague, v, AT),
  }),
  UpdateNarrative: (v) => ({
    type: 'UpdateNarrative',
    data: { functions: '新的职能概述' },
    metadata: meta(colleague, v, AT),
  }),
  AddIndicator: (v) => ({
    type: 'AddIndicator',
    data: { row: { level1: '产出指标', level2: '质量指标', weight: '0' } },
    metadata: meta(colleague, v, AT),
  }),
  UpdateIndicator: (v) => ({
    type: 'UpdateIndicator',
    data: { rowId: 'r1', changes: { actual: '7' } },
    metadata: meta(colleague, v, AT),
  }),
  RemoveIndicator: (v) => ({
    type: 'RemoveIndicator',
    data: { rowId: 'r8' },
    metadata: meta(colleague, v, AT),
  }),
  MoveIndicator: (v) => ({
    type: 'MoveIndicator',
    data: { rowId: 'r1', toIndex: 2 },
    metadata: meta(colleague, v, AT),
  }),
  SubmitEvaluation: (v) => ({ type: 'SubmitEvaluation', data: {}, metadata: meta(colleague, v, AT) }),
  WithdrawEvaluation: (v) => ({ type: 'WithdrawEvaluation', data: {}, metadata: meta(colleague, v, AT) }),
  ReturnEvaluation: (v) => ({
    type: 'ReturnEvaluation',
    data: { comment: '请补充说明' },
    metadata: meta(reviewer, v, AT),
  }),
  ApproveEvaluation: (v) => ({ type: 'ApproveEvaluation', data: {}, metadata: meta(reviewer, v, AT) }),
  ReopenEvaluation: (v) => ({
    type: 'ReopenEvaluation',
    data: { reason: '发现数据错误' },
    metadata: meta(reviewer, v, AT),
  }),
};

const EDITS = [
  'UpdateFunding',
  'AddFundingLine',
  'ChangeFundingLine',
  'RemoveFundingLine',
  'UpdateNarrative',
  'AddIndicator',
  'UpdateIndicator',
  'RemoveIndicator',
  'MoveIndicator',
];
const ALLOWED_FROM: Record<string, EvaluationStatus[]> = {
  ...Object.fromEntries(EDITS.map((c) => [c, ['DRAFT', 'RETURNED']])),
  SubmitEvaluation: ['DRAFT', 'RETURNED'],
  WithdrawEvaluation: ['SUBMITTED'],
  ReturnEvaluation: ['SUBMITTED'],
  ApproveEvaluation: ['SUBMITTED'],
  ReopenEvaluation: ['APPROVED'],
};
const STEP_OF: Record<string, string> = {
  ...Object.fromEntries(EDITS.map((c) => [c, 'EDIT'])),
  SubmitEvaluation: 'SUBMIT',
  WithdrawEvaluation: 'WITHDRAW',
  ReturnEvaluation: 'RETURN',
  ApproveEvaluation: 'APPROVE',
  ReopenEvaluation: 'REOPEN',
};

/**
 * What each allowed command emits, written out from the example form (test/fixtures/wangcheng-2021.json:
 * one funding line f1, seventeen rows r1…r17, r8 a placeholder) and the command's metadata. The form is
 * the same in DRAFT and RETURNED (submitting and returning do not change it), so one list serves both.
 */
const id = { evaluationId: EVALUATION_ID } as const;
const at = '2022-03-09T01:02:03.000Z';
const EMITS: Record<string, EvaluationEvent[]> = {
  UpdateFunding: [
    {
      type: 'FundingLineChanged',
      data: { ...id, lineId: 'f1', before: { executed: '902.42' }, after: { executed: '950.00' } },
    },
  ],
  AddFundingLine: [
    {
      type: 'FundingLineAdded',
      data: {
        ...id,
        index: 1,
        line: {
          id: 'f2',
          source: '其他资金',
          budget: '10',
          executed: '9',
          upperTransfer: '0',
          initialBudget: null,
        },
      },
    },
  ],
  ChangeFundingLine: [
    {
      type: 'FundingLineChanged',
      data: { ...id, lineId: 'f1', before: { executed: '902.42' }, after: { executed: '1000' } },
    },
  ],
  RemoveFundingLine: [
    {
      type: 'FundingLineRemoved',
      data: {
        ...id,
        index: 0,
        line: {
          id: 'f1',
          source: '财政拨款',
          budget: '1081.19',
          executed: '902.42',
          upperTransfer: '0',
          initialBudget: null,
        },
      },
    },
  ],
  UpdateNarrative: [
    {
      type: 'FunctionsChanged',
      data: { ...id, before: exampleDocument().functions, after: '新的职能概述' },
    },
  ],
  AddIndicator: [
    {
      type: 'IndicatorAdded',
      data: {
        ...id,
        index: 17,
        row: {
          id: 'r18',
          level1: '产出指标',
          level2: '质量指标',
          level3: '',
          content: '',
          target: '',
          actual: '',
          weight: '0',
          score: null,
          shortfallReason: '',
          improvement: '',
          polarity: null,
          qualitativeLevel: null,
        },
      },
    },
  ],
  UpdateIndicator: [
    {
      type: 'IndicatorChanged',
      data: { ...id, rowId: 'r1', before: { actual: '6' }, after: { actual: '7' } },
    },
  ],
  RemoveIndicator: [
    {
      type: 'IndicatorRemoved',
      data: {
        ...id,
        index: 7,
        row: {
          id: 'r8',
          level1: '产出指标',
          level2: '质量指标',
          level3: '',
          content: '',
          target: '',
          actual: '',
          weight: '0',
          score: '0',
          shortfallReason: '',
          improvement: '',
          polarity: null,
          qualitativeLevel: null,
        },
      },
    },
  ],
  MoveIndicator: [{ type: 'IndicatorMoved', data: { ...id, rowId: 'r1', fromIndex: 0, toIndex: 2 } }],
  SubmitEvaluation: [
    {
      type: 'EvaluationSubmitted',
      data: {
        ...id,
        submittedAt: at,
        by: { id: 'clerk-2', role: 'DEPARTMENT' },
        total: '98.35',
        warnings: ['EXECUTION_BELOW_90', 'OVER_ACHIEVEMENT'],
      },
    },
  ],
  WithdrawEvaluation: [
    {
      type: 'EvaluationWithdrawn',
      data: { ...id, withdrawnAt: at, by: { id: 'clerk-2', role: 'DEPARTMENT' } },
    },
  ],
  ReturnEvaluation: [
    {
      type: 'EvaluationReturned',
      data: { ...id, returnedAt: at, by: { id: 'sup-2', role: 'SUPERVISOR' }, comment: '请补充说明' },
    },
  ],
  ApproveEvaluation: [
    {
      type: 'EvaluationApproved',
      data: {
        ...id,
        approvedAt: at,
        by: { id: 'sup-2', role: 'SUPERVISOR' },
        comment: '',
        selfAssessedTotal: '98.35',
        adjustedTotal: null,
        adjustmentReason: null,
      },
    },
  ],
  ReopenEvaluation: [
    {
      type: 'EvaluationReopened',
      data: { ...id, reopenedAt: at, by: { id: 'sup-2', role: 'SUPERVISOR' }, reason: '发现数据错误' },
    },
  ],
};

/** The state an allowed command leads to (docs/workflow.md's diagram), and what it must then hold. */
const AFTER: Record<string, (from: EvaluationStatus) => Record<string, unknown>> = {
  ...Object.fromEntries(EDITS.map((c) => [c, (from: EvaluationStatus) => ({ status: from })])),
  SubmitEvaluation: (from) => ({
    status: 'SUBMITTED',
    submittedAt: at,
    submittedBy: { id: 'clerk-2', role: 'DEPARTMENT' },
    lastSubmittedAt: at,
    // a resubmission keeps the first submission's time: on time or late is decided by that one
    firstSubmittedAt: from === 'RETURNED' ? LATER.toISOString() : at,
  }),
  WithdrawEvaluation: () => ({ status: 'DRAFT' }),
  ReturnEvaluation: () => ({
    status: 'RETURNED',
    lastReturn: { returnedAt: at, by: { id: 'sup-2', role: 'SUPERVISOR' }, comment: '请补充说明' },
  }),
  ApproveEvaluation: () => ({
    status: 'APPROVED',
    approval: expect.objectContaining({ approvedAt: at, by: { id: 'sup-2', role: 'SUPERVISOR' } }),
  }),
  ReopenEvaluation: () => ({
    status: 'RETURNED',
    lastReturn: { returnedAt: at, by: { id: 'sup-2', role: 'SUPERVISOR' }, comment: '发现数据错误' },
  }),
};

/** docs/workflow.md: the sixteen refusals, each with its message. */
const REFUSALS: Record<string, string> = {
  EDIT_FROM_SUBMITTED: '已提交状态的评价表不能修改',
  EDIT_FROM_APPROVED: '已审核通过状态的评价表不能修改',
  SUBMIT_FROM_SUBMITTED: '已提交状态的评价表不能提交',
  SUBMIT_FROM_APPROVED: '已审核通过状态的评价表不能提交',
  WITHDRAW_FROM_DRAFT: '草稿状态的评价表不能撤回',
  WITHDRAW_FROM_RETURNED: '已退回状态的评价表不能撤回',
  WITHDRAW_FROM_APPROVED: '已审核通过状态的评价表不能撤回',
  RETURN_FROM_DRAFT: '草稿状态的评价表不能退回',
  RETURN_FROM_RETURNED: '已退回状态的评价表不能退回',
  RETURN_FROM_APPROVED: '已审核通过状态的评价表不能退回',
  APPROVE_FROM_DRAFT: '草稿状态的评价表不能审核通过',
  APPROVE_FROM_RETURNED: '已退回状态的评价表不能审核通过',
  APPROVE_FROM_APPROVED: '已审核通过状态的评价表不能审核通过',
  REOPEN_FROM_DRAFT: '草稿状态的评价表不能重新打开',
  REOPEN_FROM_SUBMITTED: '已提交状态的评价表不能重新打开',
  REOPEN_FROM_RETURNED: '已退回状态的评价表不能重新打开',
};

const createCommand = (actor: Actor = actors.clerk): EvaluationCommand => ({
  type: 'CreateEvaluation',
  data: { evaluationId: EVALUATION_ID, year: 2021, department, district },
  metadata: meta(actor),
});
const importCommand = (
  actor: Actor = actors.clerk,
  document: unknown = exampleDocument(),
): EvaluationCommand => ({
  type: 'ImportEvaluation',
  data: { evaluationId: EVALUATION_ID, content: readEvaluationDocument(document), department, district },
  metadata: meta(actor),
});

describe('the workflow of docs/workflow.md, for every command in every state', () => {
  const STATES = ['DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED'] as const;
  const allowed = Object.keys(COMMANDS).flatMap((command) =>
    ALLOWED_FROM[command].map((state) => [command, state] as const),
  );
  const refused = Object.keys(COMMANDS).flatMap((command) =>
    STATES.filter((state) => !ALLOWED_FROM[command].includes(state)).map(
      (state) => [command, state, `${STEP_OF[command]}_FROM_${state}`] as const,
    ),
  );

  it('covers every command in every state, and refuses with exactly the sixteen reasons', () => {
    expect(allowed.length + refused.length).toBe(14 * 4);
    expect([...new Set(refused.map(([, , reason]) => reason))].sort()).toEqual(Object.keys(REFUSALS).sort());
  });

  it.each(allowed)(
    '%s from %s: exactly its events, with the actor and time of the command',
    (command, state) => {
      const events = HISTORIES[state];
      given(...events)
        .when(COMMANDS[command](events.length))
        .then(EMITS[command], (after) => {
          expect(after).toMatchObject({
            ...AFTER[command](state),
            version: events.length + EMITS[command].length,
          });
          // what only one state carries goes with it: a withdrawal drops the submission, a reopen the approval
          expect('submittedAt' in after).toBe(after.status === 'SUBMITTED');
          expect('approval' in after).toBe(after.status === 'APPROVED');
        });
    },
  );

  it.each(refused)('%s from %s: INVALID_TRANSITION %s, with its message', (command, state, reason) => {
    const events = HISTORIES[state];
    given(...events)
      .when(COMMANDS[command](events.length))
      .thenThrows<InvalidTransition>('INVALID_TRANSITION', (error) => {
        expect(error.reason).toBe(reason);
        expect(error.message).toBe(REFUSALS[reason]);
      });
  });

  it.each(Object.keys(COMMANDS))('%s on no form: NOT_FOUND, naming no id', (command) => {
    given()
      .when(COMMANDS[command](0))
      .thenThrows<EvaluationNotFound>('NOT_FOUND', (error) => {
        expect(error.message).toBe('评价表不存在');
        expect(error.evaluationId).toBeUndefined();
      });
  });

  it.each(STATES)(
    'create and import on a form in %s are conflicts naming the department and year',
    (state) => {
      const check = (error: EvaluationAlreadyExists) =>
        expect(error.message).toBe('部门 wangcheng-shzlfwzx 的 2021 年度自评表已存在');
      given(...HISTORIES[state])
        .when(createCommand())
        .thenThrows<EvaluationAlreadyExists>('ALREADY_EXISTS', check);
      given(...HISTORIES[state])
        .when(importCommand())
        .thenThrows<EvaluationAlreadyExists>('ALREADY_EXISTS', check);
    },
  );
});

describe('creating and importing', () => {
  it('given nothing, when a clerk creates the form, then an empty draft is created', () => {
    given()
      .when(createCommand())
      .thenEvents((events, state) => {
        expect(events).toEqual([history.created()]);
        expect(state).toMatchObject({
          status: 'DRAFT',
          version: 1,
          form: { year: 2021, funding: { weight: '10', lines: [] } },
        });
      });
  });

  it('given nothing, when a clerk imports the example, then the draft holds every row with stable ids', () => {
    given()
      .when(importCommand())
      .thenEvents((events, state) => {
        expect(events).toEqual([history.imported()]);
        if (state.status === 'NONE') throw new Error('not created');
        expect(state.form.indicators.map((r) => r.id)).toEqual(
          Array.from({ length: 17 }, (_, i) => `r${i + 1}`),
        );
      });
  });

  it('an admin may import for a department; a supervisor may not create or import', () => {
    given().when(importCommand(actors.admin)).then([history.imported()]);
    given()
      .when(createCommand(actors.supervisor))
      .thenThrows('FORBIDDEN', forbidden('无权执行操作：CreateEvaluation'));
    given()
      .when(importCommand(actors.supervisor))
      .thenThrows('FORBIDDEN', forbidden('无权执行操作：ImportEvaluation'));
  });

  it('a clerk cannot create or import for another department', () => {
    given()
      .when(createCommand(actors.otherClerk))
      .thenThrows('FORBIDDEN', forbidden('无权执行操作：CreateEvaluation'));
    given()
      .when(importCommand(actors.otherClerk))
      .thenThrows('FORBIDDEN', forbidden('无权执行操作：ImportEvaluation'));
  });

  it('an import naming another department or district than the registered ones is refused, naming both', () => {
    const document = exampleDocument();
    document.department.code = 'someone-else';
    given()
      .when(importCommand(actors.clerk, document))
      .thenThrows<BadInput>(
        'BAD_USER_INPUT',
        problems([
          'INVALID_VALUE',
          '$.department.code',
          '文件中的部门 someone-else 与导入目标部门 wangcheng-shzlfwzx 不一致',
        ]),
      );
    document.district.code = 'yuelu';
    given()
      .when(importCommand(actors.clerk, document))
      .thenThrows<BadInput>(
        'BAD_USER_INPUT',
        problems(
          [
            'INVALID_VALUE',
            '$.department.code',
            '文件中的部门 someone-else 与导入目标部门 wangcheng-shzlfwzx 不一致',
          ],
          ['INVALID_VALUE', '$.district.code', '文件中的区 yuelu 与部门所属区 wangcheng 不一致'],
        ),
      );
  });

  it('a malformed document is refused where it is read, with every problem, before any command exists', () => {
    const document = exampleDocument();
    document.funding.lines[0].budget = 'abc';
    document.indicators[2].score = '5.123';
    let refusal: unknown;
    try {
      importCommand(actors.clerk, document);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(BadInput);
    const { problems, message } = refusal as BadInput;
    expect(problems.map((p) => p.path)).toEqual(['$.funding.lines[0].budget', '$.indicators[2].score']);
    expect(message).toBe(
      '输入有误：$.funding.lines[0].budget 「abc」不是有效的十进制数；' +
        '$.indicators[2].score 「5.123」小数位数过多（最多 2 位小数）',
    );
  });
});

describe('scope, role and version', () => {
  const draft = HISTORIES.DRAFT;

  it('a clerk of another department sees no such form (NOT_FOUND, not FORBIDDEN)', () => {
    given(...draft)
      .when({ ...COMMANDS.UpdateNarrative(1), metadata: meta(actors.otherClerk, 1) })
      .thenThrows('NOT_FOUND', (e) => expect(e.message).toBe('评价表不存在'));
  });

  it('out of scope reads exactly like missing: the same error and message', () => {
    const messages: string[] = [];
    given(...draft)
      .when({ ...COMMANDS.UpdateNarrative(1), metadata: meta(actors.otherClerk, 1) })
      .thenThrows('NOT_FOUND', (error) => messages.push(error.message));
    given()
      .when({ ...COMMANDS.UpdateNarrative(1), metadata: meta(actors.otherClerk, 1) })
      .thenThrows('NOT_FOUND', (error) => messages.push(error.message));
    expect(messages).toEqual(['评价表不存在', '评价表不存在']);
  });

  it('a supervisor of another district sees no such form', () => {
    given(...HISTORIES.SUBMITTED)
      .when({ ...COMMANDS.ApproveEvaluation(2), metadata: meta(actors.otherSupervisor, 2) })
      .thenThrows('NOT_FOUND', (e) => expect(e.message).toBe('评价表不存在'));
  });

  it('a supervisor in scope may not edit, a clerk may not approve, an auditor may do neither', () => {
    given(...draft)
      .when({ ...COMMANDS.UpdateNarrative(1), metadata: meta(actors.supervisor, 1) })
      .thenThrows('FORBIDDEN', forbidden('无权执行操作：UpdateNarrative'));
    given(...HISTORIES.SUBMITTED)
      .when({ ...COMMANDS.ApproveEvaluation(2), metadata: meta(actors.clerk, 2) })
      .thenThrows('FORBIDDEN', forbidden('无权执行操作：ApproveEvaluation'));
    given(...draft)
      .when({ ...COMMANDS.UpdateNarrative(1), metadata: meta(actors.auditor, 1) })
      .thenThrows('FORBIDDEN', forbidden('无权执行操作：UpdateNarrative'));
    given(...HISTORIES.SUBMITTED)
      .when({ ...COMMANDS.ReturnEvaluation(2), metadata: meta(actors.auditor, 2) })
      .thenThrows('FORBIDDEN', forbidden('无权执行操作：ReturnEvaluation'));
  });

  it('a stale version is refused with the current version, so the client can reload', () => {
    given(...draft, history.submitted(), history.returned())
      .when(COMMANDS.UpdateNarrative(1))
      .thenThrows<VersionConflict>('VERSION_CONFLICT', (e) => {
        expect(e.currentVersion).toBe(3);
        expect(e.expectedVersion).toBe(1);
        expect(e.message).toBe('评价表已被修改（当前版本 3，提交的版本 1），请刷新后重试');
      });
  });

  it('a command without the version the caller saw is refused too', () => {
    given(...draft)
      .when({ ...COMMANDS.UpdateNarrative(1), metadata: meta(actors.clerk) })
      .thenThrows<VersionConflict>('VERSION_CONFLICT', (e) => {
        expect(e.currentVersion).toBe(1);
        expect(e.message).toMatch(/^评价表已被修改（当前版本 1，/);
      });
  });
});

describe('the order of the checks (docs/workflow.md): scope, role, version, state, then the input', () => {
  const approved = HISTORIES.APPROVED;
  const badEdit = (actor: Actor, version: number): EvaluationCommand => ({
    type: 'UpdateIndicator',
    data: { rowId: 'r99', changes: { score: 'abc' } },
    metadata: meta(actor, version),
  });

  it('each refusal is the first that applies, whatever else is wrong', () => {
    given(...approved)
      .when(badEdit(actors.otherClerk, 1))
      .thenThrows('NOT_FOUND', (e) => expect(e.message).toBe('评价表不存在'));
    given(...approved)
      .when(badEdit(actors.supervisor, 1))
      .thenThrows('FORBIDDEN', forbidden('无权执行操作：UpdateIndicator'));
    given(...approved)
      .when(badEdit(actors.clerk, 1))
      .thenThrows<VersionConflict>('VERSION_CONFLICT', (e) =>
        expect(e.message).toBe('评价表已被修改（当前版本 3，提交的版本 1），请刷新后重试'),
      );
    given(...approved)
      .when(badEdit(actors.clerk, 3))
      .thenThrows<InvalidTransition>('INVALID_TRANSITION', (e) =>
        expect([e.reason, e.message]).toEqual(['EDIT_FROM_APPROVED', '已审核通过状态的评价表不能修改']),
      );
    given(...HISTORIES.RETURNED)
      .when(badEdit(actors.clerk, 3))
      .thenThrows<BadInput>('BAD_USER_INPUT', problems(['INVALID_VALUE', 'input.rowId', '没有这个指标行']));
  });
});

describe('editing funding', () => {
  const draft = [history.imported()];
  const changeLine = (lineId: string, changes: object): EvaluationCommand => ({
    type: 'ChangeFundingLine',
    data: { lineId, changes },
    metadata: meta(actors.clerk, 1),
  });

  it('updateFunding replaces the block: changed lines, added lines and the weight, each as its own event', () => {
    given(...draft)
      .when({
        type: 'UpdateFunding',
        data: {
          weight: '12',
          lines: [
            { id: 'f1', source: '财政拨款', budget: '1081.19', executed: '950', upperTransfer: '0' },
            { source: '上年结转', budget: '20', executed: '20' },
          ],
        },
        metadata: meta(actors.clerk, 1),
      })
      .then([
        { type: 'FundingWeightChanged', data: { evaluationId: EVALUATION_ID, before: '10', after: '12' } },
        {
          type: 'FundingLineChanged',
          data: {
            evaluationId: EVALUATION_ID,
            lineId: 'f1',
            before: { executed: '902.42' },
            after: { executed: '950' },
          },
        },
        {
          type: 'FundingLineAdded',
          data: {
            evaluationId: EVALUATION_ID,
            index: 1,
            line: {
              id: 'f2',
              source: '上年结转',
              budget: '20',
              executed: '20',
              upperTransfer: '0',
              initialBudget: null,
            },
          },
        },
      ]);
  });

  it('lines left out are removed and a new order is recorded', () => {
    const withTwo: EvaluationEvent[] = [
      ...draft,
      {
        type: 'FundingLineAdded',
        data: {
          evaluationId: EVALUATION_ID,
          index: 1,
          line: {
            id: 'f2',
            source: '上年结转',
            budget: '20',
            executed: '20',
            upperTransfer: '0',
            initialBudget: null,
          },
        },
      },
      {
        type: 'FundingLineAdded',
        data: {
          evaluationId: EVALUATION_ID,
          index: 2,
          line: {
            id: 'f3',
            source: '其他资金',
            budget: '5',
            executed: '5',
            upperTransfer: '0',
            initialBudget: null,
          },
        },
      },
    ];
    given(...withTwo)
      .when({
        type: 'UpdateFunding',
        data: {
          lines: [
            { id: 'f3', source: '其他资金', budget: '5', executed: '5' },
            { id: 'f1', source: '财政拨款', budget: '1081.19', executed: '902.42', upperTransfer: '0' },
          ],
        },
        metadata: meta(actors.clerk, 3),
      })
      .thenEvents((events, state) => {
        expect(events.map((e) => e.type)).toEqual(['FundingLineRemoved', 'FundingLinesReordered']);
        expect(events[1].data).toMatchObject({ before: ['f1', 'f3'], after: ['f3', 'f1'] });
        if (state.status === 'NONE') throw new Error();
        expect(state.form.funding.lines.map((l) => l.id)).toEqual(['f3', 'f1']);
      });
  });

  it('an unknown line id, a malformed amount and a negative weight are all reported at once', () => {
    given(...draft)
      .when({
        type: 'UpdateFunding',
        data: { weight: '-1', lines: [{ id: 'f9', source: 'x', budget: '1e309', executed: '1.12345' }] },
        metadata: meta(actors.clerk, 1),
      })
      .thenThrows<BadInput>(
        'BAD_USER_INPUT',
        problems(
          ['OUT_OF_RANGE', 'input.weight', '分值 -1 应在 0 到 100 之间'],
          ['INVALID_VALUE', 'input.lines[0].id', '没有这个资金行'],
          ['INVALID_AMOUNT', 'input.lines[0].budget', '「1e309」不是有效的十进制数'],
          ['INVALID_AMOUNT', 'input.lines[0].executed', '「1.12345」小数位数过多（最多 4 位小数）'],
        ),
      );
  });

  it('adding, changing and removing single lines', () => {
    given(...draft)
      .when(COMMANDS.AddFundingLine(1))
      .then([
        {
          type: 'FundingLineAdded',
          data: {
            evaluationId: EVALUATION_ID,
            index: 1,
            line: {
              id: 'f2',
              source: '其他资金',
              budget: '10',
              executed: '9',
              upperTransfer: '0',
              initialBudget: null,
            },
          },
        },
      ]);
    given(...draft)
      .when(COMMANDS.ChangeFundingLine(1))
      .then([
        {
          type: 'FundingLineChanged',
          data: {
            evaluationId: EVALUATION_ID,
            lineId: 'f1',
            before: { executed: '902.42' },
            after: { executed: '1000' },
          },
        },
      ]);
    given(...draft)
      .when(COMMANDS.RemoveFundingLine(1))
      .thenEvents((events) =>
        expect(events).toEqual([
          {
            type: 'FundingLineRemoved',
            data: {
              evaluationId: EVALUATION_ID,
              index: 0,
              line: expect.objectContaining({ id: 'f1', budget: '1081.19' }),
            },
          },
        ]),
      );
    given(...draft)
      .when(changeLine('f7', {}))
      .thenThrows<BadInput>('BAD_USER_INPUT', problems(['INVALID_VALUE', 'input.lineId', '没有这个资金行']));
    given(...draft)
      .when(changeLine('f1', { colour: 'red' }))
      .thenThrows<BadInput>(
        'BAD_USER_INPUT',
        problems(['UNKNOWN_FIELD', 'input.changes.colour', '未知字段 colour']),
      );
    given(...draft)
      .when({ type: 'RemoveFundingLine', data: { lineId: 'f7' }, metadata: meta(actors.clerk, 1) })
      .thenThrows<BadInput>('BAD_USER_INPUT', problems(['INVALID_VALUE', 'input.lineId', '没有这个资金行']));
  });

  it('an edit that changes nothing records nothing', () => {
    given(...draft)
      .when(changeLine('f1', { executed: '902.42' }))
      .then([]);
  });
});

describe('editing the narrative', () => {
  it('records functions, goals and independent accounting units separately, with before and after', () => {
    const form = history.imported();
    const before = form.type === 'EvaluationImported' ? form.data.form : null;
    given(form)
      .when({
        type: 'UpdateNarrative',
        data: { functions: '职能', goals: { planned: '新目标' }, independentAccountingUnits: 2 },
        metadata: meta(actors.clerk, 1),
      })
      .then([
        {
          type: 'FunctionsChanged',
          data: { evaluationId: EVALUATION_ID, before: before!.functions, after: '职能' },
        },
        {
          type: 'GoalsChanged',
          data: {
            evaluationId: EVALUATION_ID,
            before: before!.goals,
            after: { planned: '新目标', achieved: before!.goals.achieved },
          },
        },
        {
          type: 'IndependentAccountingUnitsChanged',
          data: { evaluationId: EVALUATION_ID, before: 0, after: 2 },
        },
      ]);
  });

  it('texts over 10,000 characters are refused, not truncated', () => {
    given(history.imported())
      .when({
        type: 'UpdateNarrative',
        data: { functions: '字'.repeat(10_001) },
        metadata: meta(actors.clerk, 1),
      })
      .thenThrows<BadInput>(
        'BAD_USER_INPUT',
        problems(['TEXT_TOO_LONG', 'input.functions', '文本长度 10001 超过上限 10000']),
      );
  });
});

describe('editing indicator rows', () => {
  const draft = [history.imported()];

  it('a new row gets the next id, which is never reused after a removal', () => {
    const removed: EvaluationEvent = {
      type: 'IndicatorRemoved',
      data: { evaluationId: EVALUATION_ID, index: 16, row: importedForm().indicators[16] },
    };
    given(...draft, removed)
      .when({
        type: 'AddIndicator',
        data: {
          row: {
            level1: '满意度指标',
            level2: '服务对象满意度指标',
            content: '回访',
            target: '≥90%',
            actual: '95%',
            weight: '10',
            score: '10',
          },
        },
        metadata: meta(actors.clerk, 2),
      })
      .thenEvents((events) =>
        expect(events).toEqual([
          expect.objectContaining({
            type: 'IndicatorAdded',
            data: expect.objectContaining({ index: 16, row: expect.objectContaining({ id: 'r18' }) }),
          }),
        ]),
      );
  });

  it('updateIndicator changes only the fields given and records their before and after', () => {
    given(...draft)
      .when({
        type: 'UpdateIndicator',
        data: {
          rowId: 'r1',
          changes: { actual: '4', score: '4', shortfallReason: '来信减少', improvement: '加强宣传' },
        },
        metadata: meta(actors.clerk, 1),
      })
      .then([
        {
          type: 'IndicatorChanged',
          data: {
            evaluationId: EVALUATION_ID,
            rowId: 'r1',
            before: { actual: '6', score: '5', shortfallReason: '', improvement: '' },
            after: { actual: '4', score: '4', shortfallReason: '来信减少', improvement: '加强宣传' },
          },
        },
      ]);
  });

  it('null means "not given", except for the fields a null clears (the score)', () => {
    given(...draft)
      .when({
        type: 'UpdateIndicator',
        data: { rowId: 'r1', changes: { actual: null, target: null, score: null, polarity: null } },
        metadata: meta(actors.clerk, 1),
      })
      .then([
        {
          type: 'IndicatorChanged',
          data: { evaluationId: EVALUATION_ID, rowId: 'r1', before: { score: '5' }, after: { score: null } },
        },
      ]);
  });

  it('a score with three decimals or an unknown field is refused with its path', () => {
    given(...draft)
      .when({
        type: 'UpdateIndicator',
        data: { rowId: 'r1', changes: { score: '4.125', colour: 'red' } },
        metadata: meta(actors.clerk, 1),
      })
      .thenThrows<BadInput>(
        'BAD_USER_INPUT',
        problems(
          ['UNKNOWN_FIELD', 'input.changes.colour', '未知字段 colour'],
          ['INVALID_DECIMAL', 'input.changes.score', '「4.125」小数位数过多（最多 2 位小数）'],
        ),
      );
    given(...draft)
      .when({
        type: 'UpdateIndicator',
        data: { rowId: 'r42', changes: { actual: '7' } },
        metadata: meta(actors.clerk, 1),
      })
      .thenThrows<BadInput>('BAD_USER_INPUT', problems(['INVALID_VALUE', 'input.rowId', '没有这个指标行']));
  });

  it('moving a row keeps its id; rows are addressed by id, not position', () => {
    given(...draft)
      .when({ type: 'MoveIndicator', data: { rowId: 'r1', toIndex: 2 }, metadata: meta(actors.clerk, 1) })
      .thenEvents((events, state) => {
        expect(events).toEqual([
          {
            type: 'IndicatorMoved',
            data: { evaluationId: EVALUATION_ID, rowId: 'r1', fromIndex: 0, toIndex: 2 },
          },
        ]);
        if (state.status === 'NONE') throw new Error();
        expect(state.form.indicators.slice(0, 3).map((r) => r.id)).toEqual(['r2', 'r3', 'r1']);
      });
    given(...draft)
      .when({ type: 'MoveIndicator', data: { rowId: 'r1', toIndex: 17 }, metadata: meta(actors.clerk, 1) })
      .thenThrows<BadInput>(
        'BAD_USER_INPUT',
        problems(['OUT_OF_RANGE', 'input.toIndex', '17 应在 0 到 16 之间']),
      );
    given(...draft)
      .when({ type: 'MoveIndicator', data: { rowId: 'r99', toIndex: 0 }, metadata: meta(actors.clerk, 1) })
      .thenThrows<BadInput>('BAD_USER_INPUT', problems(['INVALID_VALUE', 'input.rowId', '没有这个指标行']));
    given(...draft)
      .when({ type: 'MoveIndicator', data: { rowId: 'r1', toIndex: 0 }, metadata: meta(actors.clerk, 1) })
      .then([]);
  });

  it('removing an unknown row is refused', () => {
    given(...draft)
      .when({ type: 'RemoveIndicator', data: { rowId: 'r99' }, metadata: meta(actors.clerk, 1) })
      .thenThrows<BadInput>('BAD_USER_INPUT', problems(['INVALID_VALUE', 'input.rowId', '没有这个指标行']));
  });
});

describe('submitting, withdrawing, returning, approving, reopening', () => {
  it('given the imported example, when submitted, then it is accepted with its total and warnings', () => {
    given(history.imported())
      .when({ type: 'SubmitEvaluation', data: {}, metadata: meta(actors.clerk, 1, LATER) })
      .then([history.submitted()]);
  });

  it('submission with errors is refused and lists every error at once', () => {
    given(
      history.imported(),
      {
        type: 'IndicatorChanged',
        data: { evaluationId: EVALUATION_ID, rowId: 'r1', before: { score: '5' }, after: { score: null } },
      },
      {
        type: 'IndicatorChanged',
        data: {
          evaluationId: EVALUATION_ID,
          rowId: 'r2',
          before: { weight: '5', score: '5' },
          after: { weight: '6', score: '6' },
        },
      },
      {
        type: 'IndicatorChanged',
        data: { evaluationId: EVALUATION_ID, rowId: 'r3', before: { score: '5' }, after: { score: '4' } },
      },
    )
      .when({ type: 'SubmitEvaluation', data: {}, metadata: meta(actors.clerk, 4) })
      .thenThrows<SubmissionInvalid>('VALIDATION_FAILED', (e) => {
        expect(e.errors).toEqual([
          { code: 'WEIGHTS_NOT_100', path: 'indicators', message: '资金分值与各指标分值合计为 101，应为100' },
          {
            code: 'SCORE_MISSING',
            path: 'indicators[0].score',
            rowId: 'r1',
            message: '第1行指标「区长信箱每日工单数量」未填写得分',
          },
          {
            code: 'SHORTFALL_REASON_MISSING',
            path: 'indicators[2].shortfallReason',
            rowId: 'r3',
            message: '第3行指标「奖励社会治理工作年度优秀村社区」扣分（4/5）但未同时填写未完成原因和改进措施',
          },
        ]);
        expect(e.message).toBe(
          '评价表有 3 处错误，不能提交：资金分值与各指标分值合计为 101，应为100；' +
            '第1行指标「区长信箱每日工单数量」未填写得分；' +
            '第3行指标「奖励社会治理工作年度优秀村社区」扣分（4/5）但未同时填写未完成原因和改进措施',
        );
      });
  });

  it('an empty new form cannot be submitted: no budget, and weights do not add up', () => {
    given(history.created())
      .when({ type: 'SubmitEvaluation', data: {}, metadata: meta(actors.clerk, 1) })
      .thenThrows<SubmissionInvalid>('VALIDATION_FAILED', (e) =>
        expect(e.message).toBe(
          '评价表有 2 处错误，不能提交：全年预算数(A)合计为0或未填写，无法计算执行率；' +
            '资金分值与各指标分值合计为 10，应为100',
        ),
      );
  });

  it('withdrawing a submitted form puts it back to draft', () => {
    given(history.imported(), history.submitted())
      .when({ type: 'WithdrawEvaluation', data: {}, metadata: meta(actors.clerk, 2, LATER) })
      .thenEvents((events, state) => {
        expect(events).toEqual([
          {
            type: 'EvaluationWithdrawn',
            data: { evaluationId: EVALUATION_ID, withdrawnAt: LATER.toISOString(), by: by(actors.clerk) },
          },
        ]);
        expect(state.status).toBe('DRAFT');
      });
  });

  it('a return needs a comment', () => {
    given(history.imported(), history.submitted())
      .when({ type: 'ReturnEvaluation', data: { comment: '  ' }, metadata: meta(actors.supervisor, 2) })
      .thenThrows<BadInput>('BAD_USER_INPUT', (e) => {
        expect(e.problems).toEqual([
          { code: 'REQUIRED', path: 'input.comment', message: '退回意见不能为空' },
        ]);
        expect(e.message).toBe('输入有误：input.comment 退回意见不能为空');
      });
    given(history.imported(), history.submitted())
      .when({
        type: 'ReturnEvaluation',
        data: { comment: '执行率偏低未说明' },
        metadata: meta(actors.supervisor, 2, LATER),
      })
      .thenEvents((events, state) => {
        expect(events).toEqual([history.returned('执行率偏低未说明')]);
        expect(state).toMatchObject({ status: 'RETURNED', lastReturn: { comment: '执行率偏低未说明' } });
      });
  });

  it('a returned form can be edited and resubmitted', () => {
    given(history.imported(), history.submitted(), history.returned())
      .when({ type: 'SubmitEvaluation', data: {}, metadata: meta(actors.clerk, 3, LATER) })
      .then([history.submitted()]);
  });

  it('approval may set an adjusted total with a reason; both totals are kept', () => {
    given(history.imported(), history.submitted())
      .when({
        type: 'ApproveEvaluation',
        data: { comment: '同意', adjustedTotal: '95.5', adjustmentReason: '执行率偏低' },
        metadata: meta(actors.supervisor, 2, LATER),
      })
      .thenEvents((events, state) => {
        expect(events).toEqual([
          {
            type: 'EvaluationApproved',
            data: {
              evaluationId: EVALUATION_ID,
              approvedAt: LATER.toISOString(),
              by: by(actors.supervisor),
              comment: '同意',
              selfAssessedTotal: '98.35',
              adjustedTotal: '95.50',
              adjustmentReason: '执行率偏低',
            },
          },
        ]);
        expect(state).toMatchObject({
          status: 'APPROVED',
          approval: { selfAssessedTotal: '98.35', adjustedTotal: '95.50' },
        });
      });
  });

  it('an adjusted total without a reason, or out of range, is refused', () => {
    given(history.imported(), history.submitted())
      .when({
        type: 'ApproveEvaluation',
        data: { adjustedTotal: '95' },
        metadata: meta(actors.supervisor, 2),
      })
      .thenThrows<BadInput>(
        'BAD_USER_INPUT',
        problems(['REQUIRED', 'input.adjustmentReason', '调整得分必须说明理由']),
      );
    // a blank or null reason is no reason either, and is refused in the same words (docs/scoring.md)
    for (const adjustmentReason of ['', '  ', null]) {
      given(history.imported(), history.submitted())
        .when({
          type: 'ApproveEvaluation',
          data: { adjustedTotal: '95', adjustmentReason } as {
            adjustedTotal: string;
            adjustmentReason: string;
          },
          metadata: meta(actors.supervisor, 2),
        })
        .thenThrows<BadInput>(
          'BAD_USER_INPUT',
          problems(['REQUIRED', 'input.adjustmentReason', '调整得分必须说明理由']),
        );
    }
    // the message names the adjusted total (复核得分), not a row's weight (分值)
    given(history.imported(), history.submitted())
      .when({
        type: 'ApproveEvaluation',
        data: { adjustedTotal: '101', adjustmentReason: 'x' },
        metadata: meta(actors.supervisor, 2),
      })
      .thenThrows<BadInput>(
        'BAD_USER_INPUT',
        problems(['OUT_OF_RANGE', 'input.adjustedTotal', '复核得分 101 应在 0 到 100 之间']),
      );
    given(history.imported(), history.submitted())
      .when({
        type: 'ApproveEvaluation',
        data: { adjustedTotal: '95.555' },
        metadata: meta(actors.supervisor, 2),
      })
      .thenThrows<BadInput>(
        'BAD_USER_INPUT',
        problems(
          ['INVALID_DECIMAL', 'input.adjustedTotal', '「95.555」小数位数过多（最多 2 位小数）'],
          ['REQUIRED', 'input.adjustmentReason', '调整得分必须说明理由'],
        ),
      );
  });

  it('a return without a comment, or a reopen without a reason, is refused: the decider reads raw input', () => {
    given(history.imported(), history.submitted())
      .when({
        type: 'ReturnEvaluation',
        data: {} as { comment: string },
        metadata: meta(actors.supervisor, 2),
      })
      .thenThrows<BadInput>('BAD_USER_INPUT', problems(['REQUIRED', 'input.comment', '退回意见不能为空']));
    given(history.imported(), history.submitted())
      .when({
        type: 'ReturnEvaluation',
        data: { comment: null } as unknown as { comment: string },
        metadata: meta(actors.supervisor, 2),
      })
      .thenThrows<BadInput>('BAD_USER_INPUT', problems(['REQUIRED', 'input.comment', '退回意见不能为空']));
    given(history.imported(), history.submitted(), history.approved())
      .when({
        type: 'ReopenEvaluation',
        data: {} as { reason: string },
        metadata: meta(actors.supervisor, 3),
      })
      .thenThrows<BadInput>(
        'BAD_USER_INPUT',
        problems(['REQUIRED', 'input.reason', '重新打开的理由不能为空']),
      );
    given(history.imported(), history.submitted())
      .when({
        type: 'ReturnEvaluation',
        data: { comment: 42 } as unknown as { comment: string },
        metadata: meta(actors.supervisor, 2),
      })
      .thenThrows<BadInput>(
        'BAD_USER_INPUT',
        problems(['WRONG_TYPE', 'input.comment', '应为字符串，实际为 number']),
      );
  });

  it('reopening an approved form needs a reason and returns it to the department', () => {
    given(history.imported(), history.submitted(), history.approved())
      .when({ type: 'ReopenEvaluation', data: { reason: '' }, metadata: meta(actors.supervisor, 3) })
      .thenThrows<BadInput>(
        'BAD_USER_INPUT',
        problems(['REQUIRED', 'input.reason', '重新打开的理由不能为空']),
      );
    given(history.imported(), history.submitted(), history.approved())
      .when({
        type: 'ReopenEvaluation',
        data: { reason: '审计发现问题' },
        metadata: meta(actors.supervisor, 3, LATER),
      })
      .thenEvents((events, state) => {
        expect(events).toEqual([
          {
            type: 'EvaluationReopened',
            data: {
              evaluationId: EVALUATION_ID,
              reopenedAt: LATER.toISOString(),
              by: by(actors.supervisor),
              reason: '审计发现问题',
            },
          },
        ]);
        expect(state).toMatchObject({ status: 'RETURNED', version: 4 });
      });
  });

  it('the time recorded is the one passed in, never a clock read inside', () => {
    const at = new Date('2030-05-05T05:05:05.000Z');
    given(history.imported())
      .when({ type: 'SubmitEvaluation', data: {}, metadata: meta(actors.clerk, 1, at) })
      .thenEvents((events) => expect(events[0].data).toMatchObject({ submittedAt: at.toISOString() }));
    expect(NOW).not.toEqual(at);
  });
});
