import { DomainError } from '../../errors';
import type { ValidationErrorCode, ValidationIssue } from '../validation/issues';
import type { EvaluationStatus } from './evaluation';

/**
 * A form that does not exist, or that the caller may not see: the two must read the same (docs/access.md),
 * so the decider, which cannot tell the requested id of a form that has no events, names none; the
 * command handler, which knows the id it was asked for, names it in both cases.
 */
export class EvaluationNotFound extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(readonly evaluationId?: string) {
    super(evaluationId ? `评价表 ${evaluationId} 不存在` : '评价表不存在');
  }
}

export class EvaluationAlreadyExists extends DomainError {
  readonly code = 'ALREADY_EXISTS';
  constructor(
    readonly department: string,
    readonly year: number,
  ) {
    super(`部门 ${department} 的 ${year} 年度自评表已存在`);
  }
}

export class SubmissionInvalid extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  constructor(readonly errors: ValidationIssue<ValidationErrorCode>[]) {
    super(`评价表有 ${errors.length} 处错误，不能提交：${errors.map((e) => e.message).join('；')}`);
  }
}

const STATUS_LABELS: Record<EvaluationStatus, string> = {
  DRAFT: '草稿',
  SUBMITTED: '已提交',
  RETURNED: '已退回',
  APPROVED: '已审核通过',
};

/** One distinct error per illegal (command, state) pair: `reason` names both, e.g. APPROVE_FROM_DRAFT. */
export class InvalidTransition extends DomainError {
  readonly code = 'INVALID_TRANSITION';
  readonly reason: string;
  constructor(
    readonly action: string,
    readonly from: EvaluationStatus,
    label: string,
  ) {
    super(`${STATUS_LABELS[from]}状态的评价表不能${label}`);
    this.reason = `${action}_FROM_${from}`;
  }
}
