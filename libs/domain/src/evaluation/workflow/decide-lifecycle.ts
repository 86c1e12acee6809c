import { dec, fixed } from '../../decimal/decimal';
import { emptyForm } from '../form/form';
import { formFromDocument } from '../interchange/evaluation-document';
import { InputReader } from '../interchange/input-reader';
import { scoreForm } from '../scoring/form-score';
import { validateForm } from '../validation/validate-form';
import type {
  ApproveEvaluation,
  CreateEvaluation,
  ImportEvaluation,
  ReopenEvaluation,
  ReturnEvaluation,
  SubmitEvaluation,
  WithdrawEvaluation,
} from './commands';
import { SubmissionInvalid } from './errors';
import { BadInput } from '../../errors';
import type { ExistingEvaluationState } from './evaluation';
import type { ActorRef, EvaluationEvent } from './events';

const actorRef = ({ actor }: { actor: { id: string; role: ActorRef['role'] } }): ActorRef => ({
  id: actor.id,
  role: actor.role,
});

/** A text the step cannot do without (a return comment, a reopen reason): absent, null or blank is refused. */
function requiredText(value: unknown, path: string, what: string): string {
  // InputReader.text lets an absent value through as '' (optional texts are read that way): not here.
  if (value === undefined || value === null) {
    throw new BadInput([{ code: 'REQUIRED', path, message: `${what}不能为空` }]);
  }
  const reader = new InputReader();
  const text = reader.text(value, path, { nonEmpty: true });
  if (!reader.ok) {
    throw new BadInput(
      reader.problems.map((p) => (p.code === 'REQUIRED' ? { ...p, message: `${what}不能为空` } : p)),
    );
  }
  return text;
}

export function decideCreate(command: CreateEvaluation): EvaluationEvent[] {
  const { evaluationId, year, department, district } = command.data;
  const reader = new InputReader();
  reader.integer(year, 'input.year', 2000, 2100);
  if (!reader.ok) throw new BadInput(reader.problems);
  const form = emptyForm(year, { ...department }, { ...district });
  return [
    {
      type: 'EvaluationCreated',
      data: { evaluationId, form, createdAt: command.metadata.now.toISOString() },
    },
  ];
}

export function decideImport(command: ImportEvaluation): EvaluationEvent[] {
  const { evaluationId, content, department, district } = command.data;
  const problems = [];
  if (content.department.code !== department.code) {
    problems.push({
      code: 'INVALID_VALUE' as const,
      path: '$.department.code',
      message: `文件中的部门 ${content.department.code} 与导入目标部门 ${department.code} 不一致`,
    });
  }
  if (content.district.code !== district.code) {
    problems.push({
      code: 'INVALID_VALUE' as const,
      path: '$.district.code',
      message: `文件中的区 ${content.district.code} 与部门所属区 ${district.code} 不一致`,
    });
  }
  if (problems.length > 0) throw new BadInput(problems);
  const form = formFromDocument(content);
  return [
    {
      type: 'EvaluationImported',
      data: { evaluationId, form, importedAt: command.metadata.now.toISOString() },
    },
  ];
}

/** Submission runs validation; every error is listed at once. */
export function decideSubmit(command: SubmitEvaluation, state: ExistingEvaluationState): EvaluationEvent[] {
  const validation = validateForm(state.form, command.data.policy);
  if (validation.errors.length > 0) throw new SubmissionInvalid(validation.errors);
  const total = scoreForm(state.form).total as string; // no FUNDING_BUDGET_MISSING error, so a total exists
  return [
    {
      type: 'EvaluationSubmitted',
      data: {
        evaluationId: state.id,
        submittedAt: command.metadata.now.toISOString(),
        by: actorRef(command.metadata),
        total,
        warnings: [...new Set(validation.warnings.map((w) => w.code))],
      },
    },
  ];
}

export function decideWithdraw(
  command: WithdrawEvaluation,
  state: ExistingEvaluationState,
): EvaluationEvent[] {
  return [
    {
      type: 'EvaluationWithdrawn',
      data: {
        evaluationId: state.id,
        withdrawnAt: command.metadata.now.toISOString(),
        by: actorRef(command.metadata),
      },
    },
  ];
}

export function decideReturn(command: ReturnEvaluation, state: ExistingEvaluationState): EvaluationEvent[] {
  const comment = requiredText(command.data.comment, 'input.comment', '退回意见');
  return [
    {
      type: 'EvaluationReturned',
      data: {
        evaluationId: state.id,
        returnedAt: command.metadata.now.toISOString(),
        by: actorRef(command.metadata),
        comment,
      },
    },
  ];
}

/** Approval may set the reviewed total (复核得分) with a reason; the self-assessed total stays recorded. */
export function decideApprove(command: ApproveEvaluation, state: ExistingEvaluationState): EvaluationEvent[] {
  const reader = new InputReader();
  const { adjustedTotal: rawTotal, adjustmentReason: rawReason, comment: rawComment } = command.data;
  const comment =
    rawComment === undefined || rawComment === null ? '' : reader.text(rawComment, 'input.comment');
  let adjustedTotal: string | null = null;
  let adjustmentReason: string | null = null;
  if (rawTotal !== undefined && rawTotal !== null && rawTotal !== '') {
    // Read like a weight (0 to 100, two decimals), but named as what it is: 复核得分, not a row's 分值.
    const total = reader.score(rawTotal, 'input.adjustedTotal');
    if (total !== null && (dec(total).isNegative() || dec(total).gt(100))) {
      reader.problem('OUT_OF_RANGE', 'input.adjustedTotal', `复核得分 ${total} 应在 0 到 100 之间`);
    } else if (total !== null) {
      adjustedTotal = fixed(dec(total));
    }
    // Absent, null or blank: no reason, refused in the words of docs/scoring.md.
    const noReason =
      rawReason === undefined ||
      rawReason === null ||
      (typeof rawReason === 'string' && rawReason.trim() === '');
    if (noReason) reader.problem('REQUIRED', 'input.adjustmentReason', '调整得分必须说明理由');
    else adjustmentReason = reader.text(rawReason, 'input.adjustmentReason');
  }
  if (!reader.ok) throw new BadInput(reader.problems);
  return [
    {
      type: 'EvaluationApproved',
      data: {
        evaluationId: state.id,
        approvedAt: command.metadata.now.toISOString(),
        by: actorRef(command.metadata),
        comment,
        selfAssessedTotal: scoreForm(state.form).total ?? '0.00',
        adjustedTotal,
        adjustmentReason,
      },
    },
  ];
}

export function decideReopen(command: ReopenEvaluation, state: ExistingEvaluationState): EvaluationEvent[] {
  const reason = requiredText(command.data.reason, 'input.reason', '重新打开的理由');
  return [
    {
      type: 'EvaluationReopened',
      data: {
        evaluationId: state.id,
        reopenedAt: command.metadata.now.toISOString(),
        by: actorRef(command.metadata),
        reason,
      },
    },
  ];
}
