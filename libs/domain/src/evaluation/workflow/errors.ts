import type { InputProblem } from '../interchange/input-reader';
import type { ValidationErrorCode, ValidationIssue } from '../validation/issues';
import type { EvaluationStatus } from './evaluation';

/** The error codes of docs/access.md; the API maps them one to one onto `extensions.code`. */
export type EvaluationErrorCode =
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'VERSION_CONFLICT'
  | 'VALIDATION_FAILED'
  | 'INVALID_TRANSITION';

export abstract class EvaluationError extends Error {
  abstract readonly code: EvaluationErrorCode;
}

/**
 * A form that does not exist, or that the caller may not see: the two must read the same (docs/access.md),
 * so the decider, which cannot tell the requested id of a form that has no events, names none; the
 * command handler, which knows the id it was asked for, names it in both cases.
 */
export class EvaluationNotFound extends EvaluationError {
  readonly code = 'NOT_FOUND';
  constructor(readonly evaluationId?: string) {
    super(evaluationId ? `评价表 ${evaluationId} 不存在` : '评价表不存在');
  }
}

export class EvaluationAlreadyExists extends EvaluationError {
  readonly code = 'ALREADY_EXISTS';
  constructor(
    readonly department: string,
    readonly year: number,
  ) {
    super(`部门 ${department} 的 ${year} 年度自评表已存在`);
  }
}

export class ActionForbidden extends EvaluationError {
  readonly code = 'FORBIDDEN';
  constructor(readonly action: string) {
    super(`无权执行操作：${action}`);
  }
}

export class BadInput extends EvaluationError {
  readonly code = 'BAD_USER_INPUT';
  constructor(readonly problems: InputProblem[]) {
    super(`输入有误：${problems.map((p) => `${p.path} ${p.message}`).join('；')}`);
  }
}

export class VersionConflict extends EvaluationError {
  readonly code = 'VERSION_CONFLICT';
  constructor(
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(`评价表已被修改（当前版本 ${currentVersion}，提交的版本 ${expectedVersion}），请刷新后重试`);
  }
}

/**
 * A command that carried no version kept losing the race to other writers of the same stream, even when
 * decided again on each newer state: the client may simply send it again.
 */
export class ConcurrentChange extends VersionConflict {
  constructor(currentVersion: number) {
    super(currentVersion, currentVersion);
    this.message = `同一时间有其他修改（当前版本 ${currentVersion}），请重试`;
  }
}

export class SubmissionInvalid extends EvaluationError {
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
export class InvalidTransition extends EvaluationError {
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
