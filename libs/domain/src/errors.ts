import type { InputProblem } from './evaluation/interchange/input-reader';

/** The error codes of docs/access.md; the API maps them one to one onto `extensions.code`. */
export type DomainErrorCode =
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'VERSION_CONFLICT'
  | 'VALIDATION_FAILED'
  | 'INVALID_TRANSITION';

/** What every aggregate's decider throws when it refuses a command: a stable code, a message in Chinese. */
export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
}

export class ActionForbidden extends DomainError {
  readonly code = 'FORBIDDEN';
  constructor(readonly action: string) {
    super(`无权执行操作：${action}`);
  }
}

export class BadInput extends DomainError {
  readonly code = 'BAD_USER_INPUT';
  constructor(readonly problems: InputProblem[]) {
    super(`输入有误：${problems.map((p) => `${p.path} ${p.message}`).join('；')}`);
  }
}

export class VersionConflict extends DomainError {
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
